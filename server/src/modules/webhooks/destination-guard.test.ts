import { describe, expect, it } from 'vitest';
import { checkDestination, DestinationRefusedError, isPublicAddress } from './destination-guard.ts';

describe('webhook destination guard', () => {
  it('accepts public unicast addresses only', () => {
    for (const ok of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111']) expect(isPublicAddress(ok), ok).toBe(true);
    for (const bad of [
      '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
      '64:ff9b::7f00:1', 'not-an-ip',
    ]) expect(isPublicAddress(bad), bad).toBe(false);
  });

  it('refuses URLs whose host is or resolves to a private address, and odd schemes', async () => {
    const none = { allowedPrivateHosts: [] };
    await expect(checkDestination('http://127.0.0.1:8080/hook', none)).rejects.toThrow(DestinationRefusedError);
    await expect(checkDestination('http://[::1]/hook', none)).rejects.toThrow(/non-public/);
    await expect(checkDestination('http://localhost/hook', none)).rejects.toThrow(/non-public/);
    await expect(checkDestination('http://169.254.169.254/latest/meta-data', none)).rejects.toThrow(/169\.254\.169\.254/);
    await expect(checkDestination('ftp://example.com/hook', none)).rejects.toThrow(/unsupported scheme/);
  });

  it('lets an operator exempt named hosts, and pins the address it checked', async () => {
    const checked = await checkDestination('http://127.0.0.1:8080/hook', { allowedPrivateHosts: ['127.0.0.1'] });
    expect(checked).toMatchObject({ address: '127.0.0.1', family: 4 });
    const literal = await checkDestination('https://93.184.216.34/hook', { allowedPrivateHosts: [] });
    expect(literal.address).toBe('93.184.216.34');
  });
});
