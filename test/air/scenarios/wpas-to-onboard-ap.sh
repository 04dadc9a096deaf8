# Real wpa_supplicant 2.10 (hwsim radio 1, wlan1: 02:00:00:00:01:00 as in the golden capture)
# against `onboard ap` on the medium: fronthaul multi_ap=2 + backhaul BSS multi_ap=1, the
# configuration of hostap's test_multi_ap_wps_split (the golden capture's hostapd.conf).
. $REPO/test/air/scenarios/lib.sh
load_hwsim 2
start_medium

# The golden capture's hostapd.conf on our AP: driver sim on the medium, our control directory,
# the backhaul BSS renamed (our BSSIDs follow the radio's address: 02:00:00:00:0a:00 and :01).
sed -e "s|^driver=nl80211|driver=sim\ndriver_params=medium=$SOCK,mac=02:00:00:00:0a:00,channel=1|" \
    -e 's|^interface=wlan0|interface=obap0|' -e 's|^bss=wlan0_bh|bss=obap0_bh|' \
    -e 's|^ctrl_interface=.*|ctrl_interface=/run/onboard-ap|' -e '/^bssid=/d' \
    $REPO/test/vectors/air/real-air-multiap-split/hostapd.conf > $O/gateway.conf
$ONBOARD ap -c $O/gateway.conf -dd -K > $O/onboard-ap.log 2>&1 & AP=$!
wait_for 60 "[ -S /run/onboard-ap/obap0 ]" || fail "onboard ap did not start"

printf 'ctrl_interface=/run/wpa_supplicant\nupdate_config=1\n' > $RUN/wpas.conf
cp $RUN/wpas.conf $O/wpas-initial.conf
wpa_supplicant -B -i wlan1 -D nl80211 -c $RUN/wpas.conf -dd -K -t -f $O/wpas.log -P $RUN/wpas.pid || fail "wpa_supplicant did not start"
wait_for 20 "wpa_cli -i wlan1 ping 2>/dev/null | grep -q PONG" || fail "wpa_supplicant control interface"

# AIR_WPS: multi-ap (WPS_PBC multi_ap=1, the default), pin (WPS_PIN both sides), pbc (a plain
# phone), legacy (no WPS: a STA with the backhaul passphrase but no Multi-AP, to be refused).
WPS=${AIR_WPS:-multi-ap}
echo "$WPS" > $O/mode.txt
case $WPS in
  multi-ap) hostapd_cli -p /run/onboard-ap -i obap0 wps_pbc > $O/ap-wps.txt; wpa_cli -i wlan1 wps_pbc multi_ap=1 > $O/wpas-wps.txt
    WANT_SSID=multi-ap-backhaul-wps ;;
  pin) hostapd_cli -p /run/onboard-ap -i obap0 wps_pin any 12345670 > $O/ap-wps.txt; wpa_cli -i wlan1 wps_pin any 12345670 > $O/wpas-wps.txt
    WANT_SSID=multi-ap-fronthaul-wps ;;
  pbc) hostapd_cli -p /run/onboard-ap -i obap0 wps_pbc > $O/ap-wps.txt; wpa_cli -i wlan1 wps_pbc > $O/wpas-wps.txt
    WANT_SSID=multi-ap-fronthaul-wps ;;
  legacy) id=$(wpa_cli -i wlan1 add_network | tail -1)
    wpa_cli -i wlan1 set_network $id ssid '"multi-ap-backhaul-wps"' > /dev/null
    wpa_cli -i wlan1 set_network $id psk '"87654321"' > /dev/null
    wpa_cli -i wlan1 enable_network $id > $O/wpas-wps.txt
    WANT_SSID=none ;;
esac
note "$WPS started on both"
if [ $WPS = legacy ]; then
  # Refused with status 12 by the backhaul-only BSS, as hostapd's check_multi_ap refuses it; give it several tries.
  wait_for 60 "[ \$(grep -c 'CTRL-EVENT-ASSOC-REJECT bssid=02:00:00:00:0a:01' $O/wpas.log) -ge 2 ]" && note "refused twice"
elif wait_for 120 "wpa_cli -i wlan1 status 2>/dev/null | grep -q '^ssid=$WANT_SSID' && wpa_cli -i wlan1 status | grep -q wpa_state=COMPLETED"; then
  note "$WANT_SSID COMPLETED"
else
  note "$WANT_SSID not COMPLETED"
fi
# Traffic: the STA's own IPv6 neighbour discovery and an all-nodes ping go out as data frames
# (four-address on the backhaul; our AP has no IP stack behind its radio to answer them).
if [ $WPS != legacy ]; then
  ip link set wlan1 up
  wait_for 15 "ip -6 addr show dev wlan1 scope link | grep -q inet6 && ! ip -6 addr show dev wlan1 | grep -q tentative"
  ping -6 -c 3 -i 0.3 -W 1 -I wlan1 ff02::1 > $O/ping.txt 2>&1
  sleep 1
fi
wpa_cli -i wlan1 status > $O/wpas-status.txt
wpa_cli -i wlan1 list_networks > $O/wpas-networks.txt
for k in ssid psk key_mgmt multi_ap_backhaul_sta; do echo "$k=$(wpa_cli -i wlan1 get_network 0 $k)"; done >> $O/wpas-networks.txt
wpa_cli -i wlan1 save_config > /dev/null
cp $RUN/wpas.conf $O/wpas-saved.conf
iw dev wlan1 info > $O/iw-sta.txt
hostapd_cli -p /run/onboard-ap -i obap0 wps_get_status > $O/ap-wps-status.txt
hostapd_cli -p /run/onboard-ap -i obap0_bh all_sta > $O/ap-bh-sta.txt 2>&1
kill $(cat $RUN/wpas.pid); kill -TERM $AP; wait $AP
collect_common
if [ $WPS = legacy ]; then ! grep -q wpa_state=COMPLETED $O/wpas-status.txt
else grep -q wpa_state=COMPLETED $O/wpas-status.txt && grep -q "^ssid=$WANT_SSID" $O/wpas-status.txt; fi
