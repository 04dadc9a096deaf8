# onboard-sta-to-hostapd (split) with AIR_WPS=pin.
AIR_MODE=split
AIR_WPS=pin
. $REPO/test/air/scenarios/onboard-sta-to-hostapd.sh
