/*
 * The two socket families Node does not offer, for onboard's drivers:
 *   - AF_PACKET raw sockets bound to one interface and one ethertype, member of one group address
 *     (the wired 802.1X driver: EAPOL frames and the PAE group 01:80:c2:00:00:03, as hostapd and
 *     wpa_supplicant's driver_wired do; the IEEE 1905.1 transport: ethertype 0x893a and the 1905
 *     group 01:80:c2:00:00:13, plus the AL MAC as a further unicast address when it is not the
 *     interface's own);
 *   - AF_UNIX datagram sockets (the control interface that wpa_cli and hostapd_cli speak);
 *   - AF_NETLINK sockets (generic netlink: the medium's bridge to mac80211_hwsim radios). Only
 *     the socket is here: netlink messages are built and parsed in TypeScript (src/netlink).
 * Reading is event-driven: a uv_poll_t on the Node event loop drains the non-blocking socket and
 * calls back into JavaScript once per frame or datagram. Errors are thrown as JS errors whose
 * `code` is the errno name and whose message names the call and the interface or path.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FRAME 65536
/* Datagrams or frames handled per wake-up, so a flood cannot starve the rest of the event loop
 * (the poll is level-triggered: what is left is read on the next turn). */
#define MAX_PER_WAKEUP 256
#define SUN_PATH_SIZE (sizeof(((struct sockaddr_un *)0)->sun_path))

enum kind { KIND_PACKET = 1, KIND_UNIX = 2, KIND_NETLINK = 3 };

struct reader {
  uv_poll_t poll;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  int fd;
  int kind;
  int closed;
  /* One for the libuv handle, one for the JS external: freed when both are gone. */
  int refs;
};

static const uint8_t PAE_GROUP[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x03};

/* Throws an Error whose code is the errno name (EPERM, ENODEV...) and whose message is
 * "call(subject): strerror". Always returns NULL so callers can `return throw_errno(...)`. */
static napi_value throw_errno(napi_env env, int err, const char *call, const char *subject) {
  char message[512];
  char name[64];
  snprintf(message, sizeof message, "%s(%s): %s", call, subject, strerror(err));
  uv_err_name_r(uv_translate_sys_error(err), name, sizeof name);
  napi_throw_error(env, name, message);
  return NULL;
}

static napi_value throw_usage(napi_env env, const char *usage) {
  napi_throw_error(env, "EINVAL", usage);
  return NULL;
}

static napi_value make_int(napi_env env, int64_t value) {
  napi_value out = NULL;
  if (napi_create_int64(env, value, &out) != napi_ok) return NULL;
  return out;
}

/* Copies a JS string into buffer: its length, or -1 when it is not a string, is empty, does not
 * fit (at most size - 2 bytes, so truncation is detectable) or contains a NUL. */
static int get_string(napi_env env, napi_value value, char *buffer, size_t size) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, buffer, size, &length) != napi_ok) return -1;
  if (length == 0 || length + 2 > size || strlen(buffer) != length) return -1;
  return (int)length;
}

static int set_int(napi_env env, napi_value object, const char *name, int64_t value) {
  napi_value v = make_int(env, value);
  return v != NULL && napi_set_named_property(env, object, name, v) == napi_ok ? 0 : -1;
}

/* address: the group (PACKET_MR_MULTICAST) or the further unicast address (PACKET_MR_UNICAST). */
static int add_membership(int fd, int ifindex, unsigned short type, const uint8_t address[6]) {
  struct packet_mreq mreq;
  memset(&mreq, 0, sizeof mreq);
  mreq.mr_ifindex = ifindex;
  mreq.mr_type = type;
  if (type == PACKET_MR_MULTICAST || type == PACKET_MR_UNICAST) {
    mreq.mr_alen = 6;
    memcpy(mreq.mr_address, address, 6);
  }
  return setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq);
}

/* Binds fd to the interface and the ethertype and joins the group; with `unicast`, frames to that
 * address are accepted too (added to the interface's unicast filter, scoped to the socket). 0, or
 * an errno value with *failed naming the call (-1: not an Ethernet interface). */
static int packet_setup(int fd, const char *ifname, uint16_t ethertype, const uint8_t group[6], const uint8_t *unicast, int *ifindex, uint8_t mac[6],
                        const char **membership, const char **failed) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, ifname, strlen(ifname));
  *failed = "SIOCGIFINDEX";
  if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) return errno;
  *ifindex = ifr.ifr_ifindex;
  *failed = "SIOCGIFHWADDR";
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) return errno;
  /* hostapd's wired driver refuses these too: frames there have no Ethernet header. */
  if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) return -1;
  memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);

  struct sockaddr_ll addr;
  memset(&addr, 0, sizeof addr);
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ethertype);
  addr.sll_ifindex = *ifindex;
  *failed = "bind(AF_PACKET)";
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) return errno;

  *failed = "PACKET_ADD_MEMBERSHIP";
  *membership = "multicast";
  if (add_membership(fd, *ifindex, PACKET_MR_MULTICAST, group) < 0) {
    int err = errno;
    *membership = "allmulti";
    if (add_membership(fd, *ifindex, PACKET_MR_ALLMULTI, NULL) < 0) {
      *membership = "promisc";
      if (add_membership(fd, *ifindex, PACKET_MR_PROMISC, NULL) < 0) return err;
    }
  }
  if (unicast != NULL && memcmp(unicast, mac, 6) != 0) {
    *failed = "PACKET_ADD_MEMBERSHIP(unicast)";
    if (add_membership(fd, *ifindex, PACKET_MR_UNICAST, unicast) < 0 && add_membership(fd, *ifindex, PACKET_MR_PROMISC, NULL) < 0) return errno;
  }
#ifdef PACKET_IGNORE_OUTGOING
  /* Our own frames are not wanted; kernels before 4.20 lack this and the reader filters them. */
  int one = 1;
  (void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
#endif
  return 0;
}

/* Copies a 6-byte Buffer argument into out: 1, 0 when it is undefined, -1 when it is neither. */
static int optional_mac(napi_env env, napi_value value, uint8_t out[6]) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok) return -1;
  if (type == napi_undefined) return 0;
  bool is_buffer = false;
  void *data = NULL;
  size_t length = 0;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer || napi_get_buffer_info(env, value, &data, &length) != napi_ok || length != 6) return -1;
  memcpy(out, data, 6);
  return 1;
}

/* packetOpen(ifname, ethertype[, group[, unicast]]) -> { fd, ifindex, mac, membership }
 * group: the multicast address to join (default the PAE group); unicast: a further address of
 * ours (the 1905 AL MAC) when it is not the interface's.
 * membership: how the group address reaches us: "multicast" (the group joined, as the
 * references do), else "allmulti", else "promisc" (the fallbacks wpa_supplicant's wired driver
 * also goes through, here scoped to this socket so the kernel undoes them when it closes). */
static napi_value packet_open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  char ifname[IFNAMSIZ + 1];
  uint32_t ethertype = 0;
  uint8_t group[6], unicast[6];
  memcpy(group, PAE_GROUP, 6);
  int has_unicast = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || get_string(env, argv[0], ifname, sizeof ifname) < 0 ||
      napi_get_value_uint32(env, argv[1], &ethertype) != napi_ok || ethertype > 0xffff || (argc > 2 && optional_mac(env, argv[2], group) < 0) ||
      (argc > 3 && (has_unicast = optional_mac(env, argv[3], unicast)) < 0))
    return throw_usage(env, "packetOpen(ifname, ethertype[, group[, unicast]]): an interface name of 1..15 bytes, a 16-bit ethertype, 6-byte Buffers");

  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons((uint16_t)ethertype));
  if (fd < 0) return throw_errno(env, errno, "socket(AF_PACKET)", ifname);
  int ifindex = 0;
  uint8_t mac[6];
  const char *membership = NULL, *failed = NULL;
  int err = packet_setup(fd, ifname, (uint16_t)ethertype, group, has_unicast > 0 ? unicast : NULL, &ifindex, mac, &membership, &failed);
  if (err != 0) {
    close(fd);
    if (err > 0) return throw_errno(env, err, failed, ifname);
    char message[128];
    snprintf(message, sizeof message, "%s(%s): not an Ethernet interface", failed, ifname);
    napi_throw_error(env, "EAFNOSUPPORT", message);
    return NULL;
  }

  napi_value out, mac_buffer, membership_value;
  void *data;
  if (napi_create_object(env, &out) != napi_ok || napi_create_buffer_copy(env, sizeof mac, mac, &data, &mac_buffer) != napi_ok ||
      napi_create_string_utf8(env, membership, NAPI_AUTO_LENGTH, &membership_value) != napi_ok || set_int(env, out, "fd", fd) < 0 ||
      set_int(env, out, "ifindex", ifindex) < 0 || napi_set_named_property(env, out, "mac", mac_buffer) != napi_ok ||
      napi_set_named_property(env, out, "membership", membership_value) != napi_ok) {
    close(fd);
    return throw_usage(env, "packetOpen: cannot build the result");
  }
  return out;
}

/* The (fd, Buffer) arguments of the send calls: 0, or -1 when they are not that. */
static int fd_and_buffer(napi_env env, napi_callback_info info, int32_t *fd, void **data, size_t *length) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || napi_get_value_int32(env, argv[0], fd) != napi_ok ||
      napi_get_buffer_info(env, argv[1], data, length) != napi_ok)
    return -1;
  return 0;
}

/* packetSend(fd, frame) -> 0 or errno */
static napi_value packet_send(napi_env env, napi_callback_info info) {
  int32_t fd;
  void *data;
  size_t length;
  if (fd_and_buffer(env, info, &fd, &data, &length) < 0) return throw_usage(env, "packetSend(fd, frame)");
  ssize_t sent = send(fd, data, length, 0);
  return make_int(env, sent < 0 ? errno : 0);
}

static int unix_address(const char *path, struct sockaddr_un *addr) {
  size_t length = strlen(path);
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (length == 0 || length >= sizeof addr->sun_path) return -1;
  memcpy(addr->sun_path, path, length);
  return 0;
}

/* unixOpen(path) -> fd: a non-blocking datagram socket bound to path (an existing file is
 * EADDRINUSE), or for "" an unbound one (it can send; receivers see an empty sender path). */
static napi_value unix_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char path[SUN_PATH_SIZE + 1];
  struct sockaddr_un addr;
  napi_valuetype type;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_string)
    return throw_usage(env, "unixOpen(path)");
  size_t given = 0;
  int unbound = napi_get_value_string_utf8(env, argv[0], NULL, 0, &given) == napi_ok && given == 0;
  if (!unbound && (get_string(env, argv[0], path, sizeof path) < 0 || unix_address(path, &addr) < 0)) {
    napi_throw_error(env, "ENAMETOOLONG", "unixOpen(path): a socket path of 1..107 bytes without NUL");
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket(AF_UNIX)", unbound ? "unbound" : path);
  if (!unbound && bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "bind(AF_UNIX)", path);
  }
  napi_value out = make_int(env, fd);
  if (out == NULL) {
    close(fd);
    return throw_usage(env, "unixOpen: cannot build the result");
  }
  return out;
}

/* unixSendTo(fd, path, data) -> 0 or errno (a vanished peer is the caller's business, not an exception) */
static napi_value unix_send_to(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd;
  char path[SUN_PATH_SIZE + 1];
  struct sockaddr_un addr;
  void *data;
  size_t length;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      get_string(env, argv[1], path, sizeof path) < 0 || unix_address(path, &addr) < 0 || napi_get_buffer_info(env, argv[2], &data, &length) != napi_ok)
    return throw_usage(env, "unixSendTo(fd, path, data): a socket path of 1..107 bytes and a Buffer");
  ssize_t sent = sendto(fd, data, length, MSG_NOSIGNAL, (struct sockaddr *)&addr, sizeof addr);
  return make_int(env, sent < 0 ? errno : 0);
}

/* setBuffers(fd, send, receive) -> { send, receive }: sets SO_SNDBUF / SO_RCVBUF when > 0 and
 * returns the sizes in effect (the kernel doubles the request and caps it at net.core.*mem_max). */
static napi_value set_buffers(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd, sizes[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int32(env, argv[1], &sizes[0]) != napi_ok || napi_get_value_int32(env, argv[2], &sizes[1]) != napi_ok)
    return throw_usage(env, "setBuffers(fd, send, receive)");
  static const int options[2] = {SO_SNDBUF, SO_RCVBUF};
  static const char *const names[2] = {"SO_SNDBUF", "SO_RCVBUF"};
  int actual[2];
  for (int i = 0; i < 2; i++) {
    if (sizes[i] > 0 && setsockopt(fd, SOL_SOCKET, options[i], &sizes[i], sizeof sizes[i]) < 0) return throw_errno(env, errno, "setsockopt", names[i]);
    socklen_t length = sizeof actual[i];
    if (getsockopt(fd, SOL_SOCKET, options[i], &actual[i], &length) < 0) return throw_errno(env, errno, "getsockopt", names[i]);
  }
  napi_value out;
  if (napi_create_object(env, &out) != napi_ok || set_int(env, out, "send", actual[0]) < 0 || set_int(env, out, "receive", actual[1]) < 0)
    return throw_usage(env, "setBuffers: cannot build the result");
  return out;
}


/* netlinkOpen(protocol) -> { fd, portId }: a non-blocking AF_NETLINK socket of that protocol
 * (16: NETLINK_GENERIC), bound with a port id the kernel chooses. A kernel without netlink or
 * without that protocol throws EAFNOSUPPORT / EPROTONOSUPPORT. */
static napi_value netlink_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t protocol = 0;
  char subject[32];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_uint32(env, argv[0], &protocol) != napi_ok || protocol > 31)
    return throw_usage(env, "netlinkOpen(protocol): a netlink protocol number 0..31");
  snprintf(subject, sizeof subject, "protocol %u", protocol);
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, (int)protocol);
  if (fd < 0) return throw_errno(env, errno, "socket(AF_NETLINK)", subject);
  struct sockaddr_nl addr;
  memset(&addr, 0, sizeof addr);
  addr.nl_family = AF_NETLINK;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "bind(AF_NETLINK)", subject);
  }
  socklen_t length = sizeof addr;
  if (getsockname(fd, (struct sockaddr *)&addr, &length) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "getsockname(AF_NETLINK)", subject);
  }
#ifdef NETLINK_EXT_ACK
  /* Errors for our requests are wanted in full, with the attribute that caused them. */
  int one = 1;
  (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
#endif
  napi_value out;
  if (napi_create_object(env, &out) != napi_ok || set_int(env, out, "fd", fd) < 0 || set_int(env, out, "portId", addr.nl_pid) < 0) {
    close(fd);
    return throw_usage(env, "netlinkOpen: cannot build the result");
  }
  return out;
}

/* netlinkSend(fd, message) -> 0 or errno: one datagram to the kernel (port 0). */
static napi_value netlink_send(napi_env env, napi_callback_info info) {
  int32_t fd;
  void *data;
  size_t length;
  if (fd_and_buffer(env, info, &fd, &data, &length) < 0) return throw_usage(env, "netlinkSend(fd, message)");
  struct sockaddr_nl to;
  memset(&to, 0, sizeof to);
  to.nl_family = AF_NETLINK;
  ssize_t sent;
  do sent = sendto(fd, data, length, 0, (struct sockaddr *)&to, sizeof to);
  while (sent < 0 && errno == EINTR);
  return make_int(env, sent < 0 ? errno : 0);
}

static void release(struct reader *r) {
  if (--r->refs == 0) free(r);
}

static void on_closed(uv_handle_t *handle) {
  release(handle->data);
}

static void close_reader(struct reader *r) {
  if (r->closed) return;
  r->closed = 1;
  uv_poll_stop(&r->poll);
  close(r->fd);
  napi_delete_reference(r->env, r->callback);
  napi_async_destroy(r->env, r->context);
  uv_close((uv_handle_t *)&r->poll, on_closed);
}

static void deliver(struct reader *r, const uint8_t *frame, size_t length, const char *from) {
  napi_env env = r->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value callback, receiver, argv[2], result;
  void *data;
  if (napi_get_reference_value(env, r->callback, &callback) == napi_ok && callback != NULL &&
      napi_create_buffer_copy(env, length, frame, &data, &argv[0]) == napi_ok &&
      napi_create_string_utf8(env, from, NAPI_AUTO_LENGTH, &argv[1]) == napi_ok && napi_get_global(env, &receiver) == napi_ok) {
    /* napi_make_callback enters a callback scope (async context, microtasks run afterwards). A
     * listener's exception is not ours to swallow: it becomes an uncaught exception. */
    if (napi_make_callback(env, r->context, receiver, callback, 2, argv, &result) == napi_pending_exception) {
      napi_value error;
      if (napi_get_and_clear_last_exception(env, &error) == napi_ok) napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  struct reader *r = poll->data;
  static uint8_t buffer[MAX_FRAME];
  if (status < 0 || !(events & UV_READABLE)) return;
  for (int i = 0; i < MAX_PER_WAKEUP && !r->closed; i++) {
    if (r->kind == KIND_PACKET) {
      struct sockaddr_ll from;
      socklen_t fromlen = sizeof from;
      memset(&from, 0, sizeof from);
      ssize_t n = recvfrom(r->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &fromlen);
      if (n < 0) {
        if (errno == EINTR) continue;
        /* EAGAIN: drained. Anything else (ENETDOWN when the link goes down) is reported once
         * by the kernel and the socket stays usable: wait for the next frame. */
        return;
      }
      if (from.sll_pkttype == PACKET_OUTGOING) continue;
      deliver(r, buffer, (size_t)n, "");
    } else if (r->kind == KIND_NETLINK) {
      ssize_t n = recv(r->fd, buffer, sizeof buffer, MSG_TRUNC);
      if (n < 0) {
        if (errno == EINTR) continue;
        /* The kernel dropped messages because our receive queue was full: say so (an empty
         * datagram from "ENOBUFS") and keep reading, as the socket stays usable. */
        if (errno == ENOBUFS) {
          deliver(r, buffer, 0, "ENOBUFS");
          continue;
        }
        return;
      }
      if ((size_t)n > sizeof buffer) {
        deliver(r, buffer, 0, "EMSGSIZE");
        continue;
      }
      deliver(r, buffer, (size_t)n, "");
    } else {
      struct sockaddr_un from;
      socklen_t fromlen = sizeof from;
      memset(&from, 0, sizeof from);
      ssize_t n = recvfrom(r->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &fromlen);
      if (n < 0) {
        if (errno == EINTR) continue;
        return;
      }
      char path[SUN_PATH_SIZE + 1];
      size_t plen = fromlen > offsetof(struct sockaddr_un, sun_path) ? fromlen - offsetof(struct sockaddr_un, sun_path) : 0;
      if (plen > SUN_PATH_SIZE) plen = SUN_PATH_SIZE;
      memcpy(path, from.sun_path, plen);
      path[plen] = 0;
      /* An unbound sender has no path; an abstract one starts with a NUL: both come out as "". */
      deliver(r, buffer, (size_t)n, path);
    }
  }
}

static void finalize_reader(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  /* The JS handle is gone: the socket must not outlive it. */
  close_reader(data);
  release(data);
}

/* startReading(fd, kind, callback) -> handle. Takes ownership of fd: it is closed by
 * stopReading, when the handle is garbage-collected, or here if reading cannot start. */
static napi_value start_reading(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t fd, kind;
  napi_valuetype type;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_int32(env, argv[1], &kind) != napi_ok || napi_typeof(env, argv[2], &type) != napi_ok || type != napi_function ||
      (kind != KIND_PACKET && kind != KIND_UNIX && kind != KIND_NETLINK) || fd < 0)
    return throw_usage(env, "startReading(fd, kind, callback)");
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    close(fd);
    return throw_usage(env, "startReading: no event loop");
  }
  struct reader *r = calloc(1, sizeof *r);
  if (!r) {
    close(fd);
    return throw_errno(env, ENOMEM, "calloc", "startReading");
  }
  r->env = env;
  r->fd = fd;
  r->kind = kind;
  napi_value name, handle;
  if (napi_create_string_utf8(env, "onboard-socket", NAPI_AUTO_LENGTH, &name) != napi_ok || napi_async_init(env, NULL, name, &r->context) != napi_ok) {
    close(fd);
    free(r);
    return throw_usage(env, "startReading: cannot create the async context");
  }
  if (napi_create_reference(env, argv[2], 1, &r->callback) != napi_ok) {
    napi_async_destroy(env, r->context);
    close(fd);
    free(r);
    return throw_usage(env, "startReading: cannot keep the callback");
  }
  int rc = uv_poll_init(loop, &r->poll, fd);
  if (rc != 0) {
    napi_delete_reference(env, r->callback);
    napi_async_destroy(env, r->context);
    close(fd);
    free(r);
    napi_throw_error(env, "EBADF", uv_strerror(rc));
    return NULL;
  }
  r->poll.data = r;
  /* From here on the libuv handle exists and must be closed through uv_close: close_reader. */
  r->refs = 2;
  rc = uv_poll_start(&r->poll, UV_READABLE, on_readable);
  if (rc != 0 || napi_create_external(env, r, finalize_reader, NULL, &handle) != napi_ok) {
    close_reader(r);
    release(r); /* the external that does not exist */
    if (rc != 0) {
      napi_throw_error(env, "EIO", uv_strerror(rc));
      return NULL;
    }
    return throw_usage(env, "startReading: cannot create the handle");
  }
  return handle;
}

static struct reader *reader_arg(napi_env env, napi_value value) {
  void *data = NULL;
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

/* stopReading(handle): stops polling and closes the socket; safe to call twice. */
static napi_value stop_reading(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  struct reader *r = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || (r = reader_arg(env, argv[0])) == NULL)
    return throw_usage(env, "stopReading(handle)");
  close_reader(r);
  return NULL;
}

/* setRef(handle, ref): whether the socket keeps the process alive. */
static napi_value set_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  struct reader *r = NULL;
  bool ref = true;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || (r = reader_arg(env, argv[0])) == NULL ||
      napi_get_value_bool(env, argv[1], &ref) != napi_ok)
    return throw_usage(env, "setRef(handle, ref)");
  if (!r->closed) {
    if (ref) uv_ref((uv_handle_t *)&r->poll);
    else uv_unref((uv_handle_t *)&r->poll);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"packetOpen", NULL, packet_open, NULL, NULL, NULL, napi_default, NULL},
      {"packetSend", NULL, packet_send, NULL, NULL, NULL, napi_default, NULL},
      {"unixOpen", NULL, unix_open, NULL, NULL, NULL, napi_default, NULL},
      {"unixSendTo", NULL, unix_send_to, NULL, NULL, NULL, napi_default, NULL},
      {"netlinkOpen", NULL, netlink_open, NULL, NULL, NULL, napi_default, NULL},
      {"netlinkSend", NULL, netlink_send, NULL, NULL, NULL, napi_default, NULL},
      {"setBuffers", NULL, set_buffers, NULL, NULL, NULL, napi_default, NULL},
      {"startReading", NULL, start_reading, NULL, NULL, NULL, napi_default, NULL},
      {"stopReading", NULL, stop_reading, NULL, NULL, NULL, napi_default, NULL},
      {"setRef", NULL, set_ref, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(onboard_sockets, init)
