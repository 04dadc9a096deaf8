# onboard-sta-to-hostapd with the split configuration (two BSSs).
AIR_MODE=split
. $REPO/test/air/scenarios/onboard-sta-to-hostapd.sh
