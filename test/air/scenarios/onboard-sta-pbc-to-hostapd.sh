# onboard-sta-to-hostapd (split) with AIR_WPS=pbc.
AIR_MODE=split
AIR_WPS=pbc
. $REPO/test/air/scenarios/onboard-sta-to-hostapd.sh
