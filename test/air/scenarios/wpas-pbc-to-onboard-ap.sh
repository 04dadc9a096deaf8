# wpas-to-onboard-ap with AIR_WPS=pbc.
AIR_WPS=pbc
. $REPO/test/air/scenarios/wpas-to-onboard-ap.sh
