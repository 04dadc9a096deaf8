/**
 * A network credential as carried in the Credential attribute (0x100E) of M8, decoded.
 * This is the value every layer passes around (Registrar configuration, Enrollee result,
 * configuration-file writer).
 */
export interface Credential {
  networkIndex: number;
  /** Raw SSID bytes (1..32). */
  ssid: Buffer;
  /** One AuthType bit (0x0020 WPA2-PSK, 0x0002 WPA-PSK, 0x0001 Open, ...). */
  authType: number;
  /** One EncrType bit (0x0008 AES, 0x0004 TKIP, 0x0001 None). */
  encrType: number;
  /** Network Key bytes: an 8..63 character passphrase, 64 hex characters (a raw PSK), or empty for Open. */
  networkKey: Buffer;
  /** The Enrollee MAC the Registrar addressed the credential to. */
  macAddress: Buffer;
  networkKeyIndex?: number;
}
