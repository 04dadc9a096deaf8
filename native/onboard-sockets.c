/*
 * The two socket families Node does not offer, for onboard's drivers:
 *   - AF_PACKET raw sockets bound to one interface and one ethertype (the wired 802.1X driver:
 *     EAPOL frames, with membership of the PAE group address 01:80:c2:00:00:03, as hostapd and
 *     wpa_supplicant's driver_wired do);
 *   - AF_UNIX datagram sockets (the control interface that wpa_cli and hostapd_cli speak).
 * Reading is event-driven: a uv_poll_t on the Node event loop drains the non-blocking socket and
 * calls back into JavaScript once per frame or datagram. Errors are thrown as JS errors whose
 * `code` is the errno name and whose message names the call and the interface or path.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FRAME 65536

enum kind { KIND_PACKET = 1, KIND_UNIX = 2 };

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

static napi_value throw_errno(napi_env env, int err, const char *call, const char *subject) {
  char message[512];
  snprintf(message, sizeof message, "%s(%s): %s", call, subject, strerror(err));
  const char *name = NULL;
  switch (err) {
    case ENODEV: name = "ENODEV"; break;
    case EPERM: name = "EPERM"; break;
    case EACCES: name = "EACCES"; break;
    case EADDRINUSE: name = "EADDRINUSE"; break;
    case ENOENT: name = "ENOENT"; break;
    case ECONNREFUSED: name = "ECONNREFUSED"; break;
    case ENAMETOOLONG: name = "ENAMETOOLONG"; break;
    case EAGAIN: name = "EAGAIN"; break;
    case EMSGSIZE: name = "EMSGSIZE"; break;
    case EBADF: name = "EBADF"; break;
    case ENETDOWN: name = "ENETDOWN"; break;
    case ENXIO: name = "ENXIO"; break;
    default: name = "EIO"; break;
  }
  napi_throw_error(env, name, message);
  return NULL;
}

#define CHECK(call)                                                   \
  do {                                                                \
    if ((call) != napi_ok) {                                          \
      napi_throw_error(env, "EINVAL", "onboard-sockets: bad arguments"); \
      return NULL;                                                    \
    }                                                                 \
  } while (0)

static napi_value make_int(napi_env env, int64_t value) {
  napi_value out;
  napi_create_int64(env, value, &out);
  return out;
}

static int get_string(napi_env env, napi_value value, char *buffer, size_t size) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, buffer, size, &length) != napi_ok) return -1;
  return length + 1 >= size ? -1 : (int)length;
}

/* packetOpen(ifname, ethertype) -> { fd, ifindex, mac } */
static napi_value packet_open(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IFNAMSIZ];
  uint32_t ethertype = 0;
  if (argc < 2 || get_string(env, argv[0], ifname, sizeof ifname) <= 0 || napi_get_value_uint32(env, argv[1], &ethertype) != napi_ok) {
    napi_throw_error(env, "EINVAL", "packetOpen(ifname, ethertype): an interface name of at most 15 bytes and an ethertype");
    return NULL;
  }
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons((uint16_t)ethertype));
  if (fd < 0) return throw_errno(env, errno, "socket(AF_PACKET)", ifname);

  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  memcpy(ifr.ifr_name, ifname, strlen(ifname));
  if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "SIOCGIFINDEX", ifname);
  }
  int ifindex = ifr.ifr_ifindex;
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "SIOCGIFHWADDR", ifname);
  }
  uint8_t mac[6];
  memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);

  struct sockaddr_ll addr;
  memset(&addr, 0, sizeof addr);
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons((uint16_t)ethertype);
  addr.sll_ifindex = ifindex;
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "bind(AF_PACKET)", ifname);
  }
  struct packet_mreq mreq;
  memset(&mreq, 0, sizeof mreq);
  mreq.mr_ifindex = ifindex;
  mreq.mr_type = PACKET_MR_MULTICAST;
  mreq.mr_alen = 6;
  memcpy(mreq.mr_address, PAE_GROUP, 6);
  if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "PACKET_ADD_MEMBERSHIP", ifname);
  }

  napi_value out, mac_buffer;
  void *data;
  CHECK(napi_create_object(env, &out));
  CHECK(napi_create_buffer_copy(env, 6, mac, &data, &mac_buffer));
  CHECK(napi_set_named_property(env, out, "fd", make_int(env, fd)));
  CHECK(napi_set_named_property(env, out, "ifindex", make_int(env, ifindex)));
  CHECK(napi_set_named_property(env, out, "mac", mac_buffer));
  return out;
}

/* packetSend(fd, frame) -> 0 or errno */
static napi_value packet_send(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd;
  void *data;
  size_t length;
  if (argc < 2 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_buffer_info(env, argv[1], &data, &length) != napi_ok) {
    napi_throw_error(env, "EINVAL", "packetSend(fd, frame)");
    return NULL;
  }
  ssize_t sent = send(fd, data, length, 0);
  return make_int(env, sent < 0 ? errno : 0);
}

static int unix_address(const char *path, struct sockaddr_un *addr) {
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr->sun_path) return -1;
  memcpy(addr->sun_path, path, strlen(path));
  return 0;
}

/* unixOpen(path) -> fd (bound datagram socket) */
static napi_value unix_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
  struct sockaddr_un addr;
  if (argc < 1 || get_string(env, argv[0], path, sizeof path) <= 0 || unix_address(path, &addr) < 0) {
    napi_throw_error(env, "ENAMETOOLONG", "unixOpen(path): a socket path of 1..107 bytes");
    return NULL;
  }
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, errno, "socket(AF_UNIX)", path);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, err, "bind(AF_UNIX)", path);
  }
  return make_int(env, fd);
}

/* unixSendTo(fd, path, data) -> 0 or errno (a vanished peer is the caller's business, not an exception) */
static napi_value unix_send_to(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd;
  char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1];
  struct sockaddr_un addr;
  void *data;
  size_t length;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || get_string(env, argv[1], path, sizeof path) <= 0 ||
      unix_address(path, &addr) < 0 || napi_get_buffer_info(env, argv[2], &data, &length) != napi_ok) {
    napi_throw_error(env, "EINVAL", "unixSendTo(fd, path, data)");
    return NULL;
  }
  ssize_t sent = sendto(fd, data, length, MSG_NOSIGNAL, (struct sockaddr *)&addr, sizeof addr);
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
    if (napi_make_callback(env, r->context, receiver, callback, 2, argv, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
  }
  napi_close_handle_scope(env, scope);
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  struct reader *r = poll->data;
  static uint8_t buffer[MAX_FRAME];
  if (status < 0 || !(events & UV_READABLE)) return;
  /* Bounded per wake-up so a flood cannot starve the rest of the event loop. */
  for (int i = 0; i < 256 && !r->closed; i++) {
    if (r->kind == KIND_PACKET) {
      struct sockaddr_ll from;
      socklen_t fromlen = sizeof from;
      ssize_t n = recvfrom(r->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &fromlen);
      if (n < 0) return;
      if (from.sll_pkttype == PACKET_OUTGOING) continue;
      deliver(r, buffer, (size_t)n, "");
    } else {
      struct sockaddr_un from;
      socklen_t fromlen = sizeof from;
      memset(&from, 0, sizeof from);
      ssize_t n = recvfrom(r->fd, buffer, sizeof buffer, 0, (struct sockaddr *)&from, &fromlen);
      if (n < 0) return;
      char path[sizeof from.sun_path + 1];
      size_t plen = fromlen > offsetof(struct sockaddr_un, sun_path) ? fromlen - offsetof(struct sockaddr_un, sun_path) : 0;
      if (plen > sizeof from.sun_path) plen = sizeof from.sun_path;
      memcpy(path, from.sun_path, plen);
      path[plen] = 0;
      /* Abstract addresses start with a NUL: reported as unbound. */
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

/* startReading(fd, kind, callback) -> handle */
static napi_value start_reading(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t fd, kind;
  napi_valuetype type;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &kind) != napi_ok ||
      napi_typeof(env, argv[2], &type) != napi_ok || type != napi_function || (kind != KIND_PACKET && kind != KIND_UNIX)) {
    napi_throw_error(env, "EINVAL", "startReading(fd, kind, callback)");
    return NULL;
  }
  uv_loop_t *loop;
  CHECK(napi_get_uv_event_loop(env, &loop));
  struct reader *r = calloc(1, sizeof *r);
  if (!r) return throw_errno(env, ENOMEM, "startReading", "calloc");
  r->env = env;
  r->fd = fd;
  r->kind = kind;
  r->refs = 2;
  napi_value name, handle;
  if (napi_create_reference(env, argv[2], 1, &r->callback) != napi_ok || napi_create_string_utf8(env, "onboard-socket", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_async_init(env, NULL, name, &r->context) != napi_ok) {
    free(r);
    napi_throw_error(env, "EINVAL", "startReading: cannot keep the callback");
    return NULL;
  }
  if (uv_poll_init(loop, &r->poll, fd) != 0) {
    napi_delete_reference(env, r->callback);
    napi_async_destroy(env, r->context);
    free(r);
    return throw_errno(env, EBADF, "uv_poll_init", "socket");
  }
  r->poll.data = r;
  uv_poll_start(&r->poll, UV_READABLE, on_readable);
  CHECK(napi_create_external(env, r, finalize_reader, NULL, &handle));
  return handle;
}

static struct reader *reader_of(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 || napi_get_value_external(env, argv[0], &data) != napi_ok) return NULL;
  return data;
}

/* stopReading(handle): stops polling and closes the socket; safe to call twice. */
static napi_value stop_reading(napi_env env, napi_callback_info info) {
  struct reader *r = reader_of(env, info);
  if (!r) {
    napi_throw_error(env, "EINVAL", "stopReading(handle)");
    return NULL;
  }
  close_reader(r);
  return NULL;
}

/* setRef(handle, ref): whether the socket keeps the process alive. */
static napi_value set_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *data = NULL;
  bool ref = true;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2 || napi_get_value_external(env, argv[0], &data) != napi_ok || napi_get_value_bool(env, argv[1], &ref) != napi_ok) {
    napi_throw_error(env, "EINVAL", "setRef(handle, ref)");
    return NULL;
  }
  struct reader *r = data;
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
      {"startReading", NULL, start_reading, NULL, NULL, NULL, napi_default, NULL},
      {"stopReading", NULL, stop_reading, NULL, NULL, NULL, napi_default, NULL},
      {"setRef", NULL, set_ref, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(onboard_sockets, init)
