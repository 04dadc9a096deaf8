# onboard-sta-to-hostapd with the shared configuration (one BSS, multi_ap=3).
AIR_MODE=shared
. $REPO/test/air/scenarios/onboard-sta-to-hostapd.sh
