# `onboard sta` on the medium (02:00:00:00:01:00, the golden capture's STA address), `WPS_PBC multi_ap=1` against the real hostapd 2.10 (hwsim radio
# wlan0). AIR_MODE picks the configuration: split (hostap's test_multi_ap_wps_split:
# fronthaul multi_ap=2 + backhaul BSS multi_ap=1, as in the golden capture) or shared
# (test_multi_ap_wps_shared: one BSS multi_ap=3 that is its own backhaul).
. $REPO/test/air/scenarios/lib.sh
MODE=${AIR_MODE:-split}
load_hwsim 1
start_medium
if [ "$MODE" = split ]; then
  BH_SSID=multi-ap-backhaul-wps; BH_IF=wlan0_bh
  # The golden capture's configuration as it is (only the control directory moved).
  sed 's|/var/run/hostapd|/run/hostapd|' $REPO/test/vectors/air/real-air-multiap-split/hostapd.conf > $O/hostapd.conf
else
  BH_SSID=multi-ap-wps; BH_IF=wlan0
  cat > $O/hostapd.conf <<EOF
interface=wlan0
driver=nl80211
ctrl_interface=/run/hostapd
hw_mode=g
channel=1
ssid=multi-ap-wps
wpa=2
wpa_key_mgmt=WPA-PSK
rsn_pairwise=CCMP
wpa_passphrase=12345678
multi_ap=3
multi_ap_backhaul_ssid="multi-ap-wps"
multi_ap_backhaul_wpa_passphrase=12345678
wps_state=2
eap_server=1
device_name=hwsim-ap
EOF
fi
hostapd -B -dd -K -t -f $O/hostapd.log -P $RUN/hostapd.pid $O/hostapd.conf || fail "hostapd did not start"
wait_for 30 "hostapd_cli -p /run/hostapd -i wlan0 status 2>/dev/null | grep -q state=ENABLED" || fail "hostapd not ENABLED"

printf 'ctrl_interface=/run/onboard-sta\nupdate_config=1\ndevice_name=onboard-extender\nconfig_methods=virtual_push_button display\n' > $RUN/ext.conf
cp $RUN/ext.conf $O/ext-initial.conf
$ONBOARD sta -i obsta0 -c $RUN/ext.conf -D sim -p medium=$SOCK,mac=02:00:00:00:01:00,channel=1 -dd -K > $O/onboard-sta.log 2>&1 & STA=$!
wait_for 60 "[ -S /run/onboard-sta/obsta0 ]" || fail "onboard sta did not start"

# AIR_WPS as in wpas-to-onboard-ap.sh: multi-ap (default), pin, pbc, legacy.
WPS=${AIR_WPS:-multi-ap}
echo "$WPS" > $O/mode.txt
SCLI="wpa_cli -p /run/onboard-sta -i obsta0"
case $WPS in
  multi-ap) hostapd_cli -p /run/hostapd -i wlan0 wps_pbc > $O/hostapd-wps.txt; $SCLI wps_pbc multi_ap=1 > $O/sta-wps.txt
    WANT_SSID=$BH_SSID ;;
  pin) hostapd_cli -p /run/hostapd -i wlan0 wps_pin any 12345670 > $O/hostapd-wps.txt; $SCLI wps_pin any 12345670 > $O/sta-wps.txt
    WANT_SSID=$(sed -n 's/^ssid=//p' $O/hostapd.conf | head -1) ;;
  pbc) hostapd_cli -p /run/hostapd -i wlan0 wps_pbc > $O/hostapd-wps.txt; $SCLI wps_pbc > $O/sta-wps.txt
    WANT_SSID=$(sed -n 's/^ssid=//p' $O/hostapd.conf | head -1) ;;
  legacy) id=$($SCLI add_network | tail -1)
    $SCLI set_network $id ssid '"multi-ap-backhaul-wps"' > /dev/null
    $SCLI set_network $id psk '"87654321"' > /dev/null
    $SCLI enable_network $id > $O/sta-wps.txt
    WANT_SSID=none ;;
esac
note "$WPS started on both"
if [ $WPS = legacy ]; then
  wait_for 60 "[ \$(grep -c 'CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:00:01' $O/onboard-sta.log) -ge 2 ]" && note "refused twice"
elif wait_for 120 "$SCLI status 2>/dev/null | grep -q '^ssid=$WANT_SSID' && $SCLI status | grep -q wpa_state=COMPLETED"; then
  note "$WANT_SSID COMPLETED"
else
  note "$WANT_SSID not COMPLETED"
fi
# hostapd's four-address interface for the extender: bring it up and ping all nodes through it,
# so four-address data frames go to our STA (which has no IP stack behind its radio to answer).
[ $WPS = multi-ap ] && wait_for 20 "ls /sys/class/net | grep -q '^$BH_IF\.sta'"
WDS=$(ls /sys/class/net | grep "^$BH_IF\.sta" | head -1)
echo "${WDS:-none}" > $O/wds-interface.txt
if [ -n "$WDS" ]; then
  ip link set $WDS up
  wait_for 15 "ip -6 addr show dev $WDS scope link | grep -q inet6 && ! ip -6 addr show dev $WDS | grep -q tentative"
  ping -6 -c 3 -i 0.3 -W 1 -I $WDS ff02::1 > $O/ping.txt 2>&1
  sleep 1
fi
wpa_cli -p /run/onboard-sta -i obsta0 status > $O/sta-status.txt
cp $RUN/ext.conf $O/ext-saved.conf
hostapd_cli -p /run/hostapd -i wlan0 wps_get_status > $O/hostapd-wps-status.txt
hostapd_cli -p /run/hostapd -i $BH_IF all_sta > $O/hostapd-bh-sta.txt 2>&1
iw dev > $O/iw-ap.txt
kill -TERM $STA; wait $STA
kill $(cat $RUN/hostapd.pid)
sleep 0.5
collect_common
case $WPS in
  multi-ap) grep -q wpa_state=COMPLETED $O/sta-status.txt && [ -n "$WDS" ] ;;
  legacy) ! grep -q wpa_state=COMPLETED $O/sta-status.txt ;;
  *) grep -q wpa_state=COMPLETED $O/sta-status.txt && grep -q "^ssid=$WANT_SSID" $O/sta-status.txt ;;
esac
