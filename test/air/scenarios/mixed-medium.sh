# A mixed medium: the real hostapd 2.10 as gateway (split configuration, hwsim radio 0), onboard's
# extender (`onboard sta`, WPS_PBC multi_ap=1 to the backhaul BSS) and a real phone (wpa_supplicant
# 2.10, hwsim radio 1, plain WPS_PBC to the fronthaul BSS), one after the other (two PBC Enrollees at
# once would be a PBC overlap), all on one medium and in one capture.
. $REPO/test/air/scenarios/lib.sh
load_hwsim 2
start_medium
sed -n '/^interface=/,$p' $REPO/test/vectors/air/real-air-multiap-split/hostapd.conf | sed 's|/var/run/hostapd|/run/hostapd|' > $O/hostapd.conf
hostapd -B -dd -K -t -f $O/hostapd.log -P $RUN/hostapd.pid $O/hostapd.conf || fail "hostapd did not start"
wait_for 30 "hostapd_cli -p /run/hostapd -i wlan0_bh status 2>/dev/null | grep -q state=ENABLED" || fail "hostapd not ENABLED"

printf 'ctrl_interface=/run/onboard-sta\nupdate_config=1\ndevice_name=onboard-extender\nconfig_methods=virtual_push_button display\n' > $RUN/ext.conf
$ONBOARD sta -i obsta0 -c $RUN/ext.conf -D sim -p medium=$SOCK,mac=02:00:00:00:05:00,channel=1 -dd -K > $O/onboard-sta.log 2>&1 & STA=$!
wait_for 60 "[ -S /run/onboard-sta/obsta0 ]" || fail "onboard sta did not start"
SCLI="wpa_cli -p /run/onboard-sta -i obsta0"
hostapd_cli -p /run/hostapd -i wlan0 wps_pbc > /dev/null
$SCLI wps_pbc multi_ap=1 > /dev/null
wait_for 120 "$SCLI status 2>/dev/null | grep -q '^ssid=multi-ap-backhaul-wps' && $SCLI status | grep -q wpa_state=COMPLETED" && note "extender on the backhaul"

printf 'ctrl_interface=/run/wpa_supplicant\nupdate_config=1\n' > $RUN/phone.conf
wpa_supplicant -B -i wlan1 -D nl80211 -c $RUN/phone.conf -dd -K -t -f $O/phone.log -P $RUN/phone.pid || fail "wpa_supplicant did not start"
wait_for 20 "wpa_cli -i wlan1 ping 2>/dev/null | grep -q PONG" || fail "phone control interface"
# A second button press for the second device, as a user does.
hostapd_cli -p /run/hostapd -i wlan0 wps_pbc > /dev/null
wpa_cli -i wlan1 wps_pbc > /dev/null
wait_for 120 "wpa_cli -i wlan1 status 2>/dev/null | grep -q '^ssid=multi-ap-fronthaul-wps' && wpa_cli -i wlan1 status | grep -q wpa_state=COMPLETED" && note "phone on the fronthaul"
sleep 1
$SCLI status > $O/sta-status.txt
wpa_cli -i wlan1 status > $O/phone-status.txt
iw dev wlan1 info > $O/iw-phone.txt
hostapd_cli -p /run/hostapd -i wlan0 all_sta > $O/hostapd-fh-sta.txt
hostapd_cli -p /run/hostapd -i wlan0_bh all_sta > $O/hostapd-bh-sta.txt
kill $(cat $RUN/phone.pid); kill -TERM $STA; wait $STA
kill $(cat $RUN/hostapd.pid); sleep 0.5
collect_common
grep -q wpa_state=COMPLETED $O/sta-status.txt && grep -q wpa_state=COMPLETED $O/phone-status.txt
