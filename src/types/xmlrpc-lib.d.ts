// The xmlrpc package's serializer and deserializer modules (its index only types the client and server).
declare module 'xmlrpc/lib/serializer.js' {
  const Serializer: {
    serializeMethodCall(method: string, params?: unknown[], encoding?: string): string;
    serializeMethodResponse(value: unknown): string;
    serializeFault(fault: {faultCode: number; faultString: string}): string;
  };
  export default Serializer;
}

declare module 'xmlrpc/lib/deserializer.js' {
  import type {Readable} from 'node:stream';
  class Deserializer {
    constructor(encoding?: string);
    deserializeMethodCall(stream: Readable, callback: (error: Error | null, method: string, params: unknown[]) => void): void;
    deserializeMethodResponse(stream: Readable, callback: (error: Error | null, value: unknown) => void): void;
  }
  export default Deserializer;
}
