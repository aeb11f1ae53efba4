import thrift from 'thrift';
import {readStruct, writeStruct, type Protocol} from '../../codecs/thrift.js';
import type {JsonValue} from '../../codecs/types.js';
import type {ThriftService} from './schema.js';
import {MessageType} from './wire.js';

/** A handler's answer: `{success: value}` (or `{}` for void), or one declared exception by its result field name. */
export type HandlerResult = Record<string, unknown>;
export type ThriftHandlers = Record<string, (args: Record<string, JsonValue>) => Promise<HandlerResult> | HandlerResult>;

/** A failure that goes back as a TApplicationException of this type. */
export class ApplicationError extends Error {
  constructor(readonly type: number, message: string) {
    super(message);
  }
}

/**
 * A processor for the npm thrift server (`thrift.createServer`) built from
 * the IDL at run time, not from generated code: it reads each call's
 * `_args` struct with dial's JSON mapping, runs the handler, and writes the
 * `_result` struct (or a TApplicationException). Oneway calls get no reply.
 * Used by the cluster's Thrift greeter.
 */
export class IdlProcessor {
  constructor(private readonly service: ThriftService, private readonly handlers: ThriftHandlers, private readonly onError: (e: Error) => void = () => undefined) {}

  process(input: Protocol, output: Protocol): void {
    const {fname, mtype, rseqid} = input.readMessageBegin();
    const name = fname.includes(':') ? fname.slice(fname.indexOf(':') + 1) : fname;
    const fn = this.service.functions.find((f) => f.name === name);
    const handler = this.handlers[name];
    if (!fn || !handler) {
      input.skip(thrift.Thrift.Type.STRUCT);
      input.readMessageEnd();
      return this.fail(output, fname, rseqid, new ApplicationError(1, `unknown method ${fname}`));
    }
    const args = readStruct(input, fn.args) as Record<string, JsonValue>;
    input.readMessageEnd();
    const oneway = fn.oneway || mtype === MessageType.ONEWAY;
    Promise.resolve().then(() => handler(args)).then((result) => {
      if (oneway) return;
      output.writeMessageBegin(fname, MessageType.REPLY as thrift.Thrift.MessageType, rseqid);
      writeStruct(output, fn.result, result, '$');
      output.writeMessageEnd();
      output.flush();
    }).catch((e: Error) => {
      this.onError(e);
      if (!oneway) this.fail(output, fname, rseqid, e instanceof ApplicationError ? e : new ApplicationError(6, e.message));
    });
  }

  private fail(output: Protocol, name: string, seqid: number, e: ApplicationError): void {
    const x = new thrift.Thrift.TApplicationException(e.type as thrift.Thrift.TApplicationExceptionType, e.message);
    // The npm package's write() sends `this.code`, not the `type` its constructor sets (0.24): without this the type is lost.
    Object.assign(x, {code: e.type});
    output.writeMessageBegin(name, MessageType.EXCEPTION as thrift.Thrift.MessageType, seqid);
    x.write(output as never);
    output.writeMessageEnd();
    output.flush();
  }
}
