# wpas-to-onboard-ap with AIR_WPS=legacy.
AIR_WPS=legacy
. $REPO/test/air/scenarios/wpas-to-onboard-ap.sh
