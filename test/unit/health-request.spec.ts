import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { toHealthRequest } from '../../lib/access/health-request.js';

function incoming(): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: '10.0.0.7' });
  const message = new IncomingMessage(socket);
  message.method = 'GET';
  message.url = '/healthcheck?check=db';
  message.headers = { 'x-internal': 'yes', host: 'example' };
  return message;
}

const EXPECTED = {
  method: 'GET',
  url: '/healthcheck?check=db',
  headers: { 'x-internal': 'yes', host: 'example' },
  remoteAddress: '10.0.0.7',
};

describe('toHealthRequest', () => {
  it('reads a Node.js IncomingMessage', () => {
    expect(toHealthRequest(incoming())).toEqual(EXPECTED);
  });

  it('reads an Express request, whose url a router may have cut: originalUrl is the one sent', () => {
    const express = Object.assign(incoming(), {
      url: '/?check=db',
      originalUrl: '/healthcheck?check=db',
    });
    expect(toHealthRequest(express)).toEqual(EXPECTED);
  });

  it('reads a Fastify request through its raw IncomingMessage', () => {
    const raw = incoming();
    const fastify = { raw, headers: raw.headers, id: 'req-1', ip: 'x' };
    expect(toHealthRequest(fastify)).toEqual(EXPECTED);
  });

  it('gives exactly the four documented fields', () => {
    expect(Object.keys(toHealthRequest(incoming())).sort()).toEqual([
      'headers',
      'method',
      'remoteAddress',
      'url',
    ]);
  });
});
