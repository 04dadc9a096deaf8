# wpas-to-onboard-ap with AIR_WPS=pin.
AIR_WPS=pin
. $REPO/test/air/scenarios/wpas-to-onboard-ap.sh
