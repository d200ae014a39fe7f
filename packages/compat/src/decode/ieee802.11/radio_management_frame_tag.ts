/** One information element of a beacon or probe frame. (The class name keeps v3's spelling.) */
class RadioMangementFrameTag {
  type: string | undefined = undefined;
  typeId: number | undefined = undefined;
  length: number | undefined = undefined;
  value: Buffer | undefined = undefined;
  declare ssid?: string;
  declare channel?: number;

  decode(raw: Buffer, offset: number): this {
    this.typeId = raw[offset];
    this.length = raw[offset + 1];
    const at = offset + 2;
    this.value = raw.subarray(at, at + (this.length ?? 0));
    switch (this.typeId) {
      case 0:
        this.type = 'ssid';
        this.ssid = this.value.toString('utf8', 0, this.length);
        break;
      case 1:
        this.type = 'rates';
        break;
      case 3:
        this.type = 'channel';
        this.channel = raw[at];
        break;
      case 5:
        this.type = 'TIM';
        break;
      case 42:
        this.type = 'ERP';
        break;
      case 48:
        this.type = 'RSN';
        break;
      case 50:
        this.type = 'extended_rates';
        break;
      case 221:
        this.type = 'vendor_specific';
        break;
      default:
        this.type = 'unknown';
    }
    return this;
  }
}

export = RadioMangementFrameTag;
