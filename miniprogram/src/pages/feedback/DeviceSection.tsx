import { Button, Input, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { warrantyStateLabels, type ProductArchive } from '@qiao/shared';
import { toast } from '../../utils/nav';

interface Props {
  devices: ProductArchive[];
  /** Still loading (null) or failed (a message). */
  loading: boolean;
  loadError: string | null;
  onRetry: () => void;
  selected: string | null;
  onSelect: (device: ProductArchive | null) => void;
  error?: string;
}

function normalize(serial: string): string {
  return serial.trim().toUpperCase();
}

/** A scanned code may be the bare serial number or a link / text that carries it. */
export function matchSerial(devices: ProductArchive[], scanned: string): ProductArchive | null {
  const code = normalize(scanned);
  if (!code) return null;
  const exact = devices.find((device) => normalize(device.serialNumber) === code);
  if (exact) return exact;
  const tokens = code.split(/[^A-Z0-9_./-]+/).filter(Boolean);
  return devices.find((device) => tokens.includes(normalize(device.serialNumber))) ?? null;
}

/** Which device the request is about: one of mine (list, scan in weapp, serial input in H5), or none. */
export function DeviceSection({ devices, loading, loadError, onRetry, selected, onSelect, error }: Props) {
  const [serial, setSerial] = useState('');

  function pickBySerial(value: string): void {
    const device = matchSerial(devices, value);
    if (device) {
      onSelect(device);
      toast(`已选择设备 ${device.serialNumber}`);
    } else {
      toast(`未找到序列号为 ${value.trim()} 的设备`);
    }
  }

  async function scan(): Promise<void> {
    try {
      const result = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'barCode'] });
      pickBySerial(result.result);
    } catch {
      // Cancelled.
    }
  }

  return (
    <View className='field'>
      <View className='row row--between'>
        <Text className='field__label'>选择设备</Text>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button id='fb-scan' className='fb-scan' size='mini' onClick={() => void scan()}>
            扫码识别
          </Button>
        ) : null}
      </View>
      {loading ? <Text className='muted'>正在加载我的设备…</Text> : null}
      {loadError ? (
        <View className='row'>
          <Text className='field__error'>{loadError}</Text>
          <Text className='link fb-device-retry' onClick={onRetry}>
            重试
          </Text>
        </View>
      ) : null}
      <View className='fb-devices'>
        {devices.map((device) => (
          <View
            key={device.id}
            id={`fb-device-${device.id}`}
            className={`option fb-device ${selected === device.id ? 'option--active' : ''}`}
            onClick={() => onSelect(device)}
          >
            <View className='row row--between'>
              <Text className='fb-device__model'>{device.model}</Text>
              <Text className='muted'>{warrantyStateLabels[device.warrantyState]}</Text>
            </View>
            <Text className='muted'>序列号 {device.serialNumber}</Text>
          </View>
        ))}
        <View
          id='fb-no-device'
          className={`option fb-device ${selected === null ? 'option--active' : ''}`}
          onClick={() => onSelect(null)}
        >
          <Text className='fb-device__model'>无设备</Text>
          <Text className='muted'>投诉、建议或咨询，不针对具体设备</Text>
        </View>
      </View>
      {process.env.TARO_ENV === 'h5' && devices.length > 0 ? (
        <View className='row fb-serial'>
          <Input
            id='fb-serial'
            className='field__input fb-serial__input'
            placeholder='输入设备序列号'
            value={serial}
            onInput={(event) => setSerial(event.detail.value)}
            onConfirm={() => pickBySerial(serial)}
          />
          <Button id='fb-serial-match' className='field__button' size='mini' onClick={() => pickBySerial(serial)}>
            识别
          </Button>
        </View>
      ) : null}
      {error ? <Text className='field__error'>{error}</Text> : null}
    </View>
  );
}
