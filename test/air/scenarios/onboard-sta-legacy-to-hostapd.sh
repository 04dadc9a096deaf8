# onboard-sta-to-hostapd (split) with AIR_WPS=legacy.
AIR_MODE=split
AIR_WPS=legacy
. $REPO/test/air/scenarios/onboard-sta-to-hostapd.sh
