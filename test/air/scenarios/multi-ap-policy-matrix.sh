# The multi_ap 0/1/2/3 association policy, real wpa_supplicant 2.10 (hwsim radio 1) against the real
# hostapd 2.10 (hwsim radio 0) first and then against `onboard ap` (on the medium), with the same
# four BSSs (multi_ap=N on SSID map-N) and the same two STA profiles: a backhaul STA
# (multi_ap_backhaul_sta=1) and a plain STA. Each attempt's outcome goes to matrix-hostapd.txt /
# matrix-onboard.txt; the test compares them (the reference's behaviour is the expected result).
. $REPO/test/air/scenarios/lib.sh
load_hwsim 2
start_medium

bss_block() { # n
  printf 'ssid=map-%s\nwpa=2\nwpa_key_mgmt=WPA-PSK\nrsn_pairwise=CCMP\nwpa_passphrase=map-secret-%s\nmulti_ap=%s\n' $1 $1 $1
}
{
  printf 'interface=wlan0\ndriver=nl80211\nctrl_interface=/run/hostapd\nhw_mode=g\nchannel=1\n'; bss_block 0
  for n in 1 2 3; do printf 'bss=wlan0_%s\nbssid=02:00:00:00:00:0%s\nctrl_interface=/run/hostapd\n' $n $n; bss_block $n; done
} > $O/hostapd.conf
{
  printf 'interface=obap0\ndriver=sim\ndriver_params=medium=%s,mac=02:00:00:00:0a:00,channel=1\nctrl_interface=/run/onboard-ap\nchannel=1\n' $SOCK; bss_block 0
  for n in 1 2 3; do printf 'bss=obap0_%s\n' $n; bss_block $n; done
} > $O/gateway.conf

{
  printf 'ctrl_interface=/run/wpa_supplicant\nupdate_config=0\n'
  for n in 0 1 2 3; do
    printf 'network={\n\tssid="map-%s"\n\tpsk="map-secret-%s"\n\tmulti_ap_backhaul_sta=1\n\tdisabled=1\n}\n' $n $n
    printf 'network={\n\tssid="map-%s"\n\tpsk="map-secret-%s"\n\tdisabled=1\n}\n' $n $n
  done
} > $O/wpas.conf

# attempt ID NAME: select network ID, wait for the first outcome, write "NAME outcome".
attempt() {
  before=$(wc -l < $EVENTS)
  wpa_cli -i wlan1 select_network $1 > /dev/null
  outcome=none
  tries=150
  while [ $tries -gt 0 ]; do
    line=$(tail -n +$((before + 1)) $EVENTS | grep -m1 -E 'wlan1: CTRL-EVENT-(CONNECTED|ASSOC-REJECT|DISCONNECTED)')
    if [ -n "$line" ]; then
      case $line in
        # wpa_supplicant switches the interface to four-address mode around the connection; a
        # loaded VM may show it late, so look for up to 3 s.
        *CONNECTED\ -*) outcome="connected"; wait_for 3 "iw dev wlan1 info | grep -q '4addr: on'" && outcome="connected 4addr" ;;
        *ASSOC-REJECT*) outcome="rejected $(echo "$line" | sed -n 's/.*status_code=\([0-9]*\).*/\1/p')" ;;
        *DISCONNECTED*) outcome="disconnected $(echo "$line" | sed -n 's/.*reason=\([0-9]*\).*/\1/p')" ;;
      esac
      break
    fi
    sleep 0.2; tries=$((tries-1))
  done
  echo "$2 $outcome" >> $MATRIX
  wpa_cli -i wlan1 disable_network $1 > /dev/null
  wpa_cli -i wlan1 disconnect > /dev/null
  sleep 2
}

run_matrix() { # file
  MATRIX=$1
  : > $MATRIX
  # wpa_supplicant's own log (-dd) has every event line: it is the event source.
  EVENTS=$O/wpas-$(basename $1 .txt).log
  cp $O/wpas.conf $RUN/wpas.conf
  wpa_supplicant -B -i wlan1 -D nl80211 -c $RUN/wpas.conf -dd -K -t -f $EVENTS -P $RUN/wpas.pid || fail "wpa_supplicant did not start"
  wait_for 20 "wpa_cli -i wlan1 ping 2>/dev/null | grep -q PONG" || fail "wpa_supplicant control interface"
  for m in 0 1 2 3; do
    attempt $((2 * m)) "multi_ap=$m backhaul-sta"
    attempt $((2 * m + 1)) "multi_ap=$m plain-sta"
  done
  kill $(cat $RUN/wpas.pid); sleep 1
}

hostapd -B -dd -K -t -f $O/hostapd.log -P $RUN/hostapd.pid $O/hostapd.conf || fail "hostapd did not start"
wait_for 30 "hostapd_cli -p /run/hostapd -i wlan0_3 status 2>/dev/null | grep -q state=ENABLED" || fail "hostapd not ENABLED"
run_matrix $O/matrix-hostapd.txt
kill $(cat $RUN/hostapd.pid); sleep 1

$ONBOARD ap -c $O/gateway.conf -dd -K > $O/onboard-ap.log 2>&1 & AP=$!
wait_for 60 "[ -S /run/onboard-ap/obap0 ]" || fail "onboard ap did not start"
run_matrix $O/matrix-onboard.txt
kill -TERM $AP; wait $AP
collect_common
cat $O/matrix-hostapd.txt $O/matrix-onboard.txt
[ $(wc -l < $O/matrix-onboard.txt) = 8 ] && cmp -s $O/matrix-hostapd.txt $O/matrix-onboard.txt
