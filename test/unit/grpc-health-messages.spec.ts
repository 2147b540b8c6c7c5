import { grpcUnknownService } from '../../lib/healthcheck.messages.js';

describe('grpcUnknownService', () => {
  it('repeats a short unknown name whole', () => {
    expect(grpcUnknownService('orders')).toContain('"orders"');
  });

  it('repeats at most 200 characters of a long unknown name', () => {
    const message = grpcUnknownService('x'.repeat(100_000));
    expect(message).toContain(`"${'x'.repeat(200)}…"`);
    expect(message.length).toBeLessThan(400);
  });
});
