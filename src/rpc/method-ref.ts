import type {DescMethod, DescService, FileRegistry} from '@bufbuild/protobuf';
import {DialError, ExitCode} from '../errors/index.js';
import {didYouMean} from '../util/index.js';

/** A method as the user wrote it, split into service and method parts. */
export interface MethodRef {
  /** Service as written: fully-qualified, short, or undefined (method name only). */
  service?: string;
  method: string;
}

/**
 * Parses "pkg.Service/Method", "pkg.Service.Method", "Service/Method" or
 * "Method" (grpcurl and buf curl accept the first two; dial also the rest).
 * A leading slash, as in HTTP paths, is ignored.
 */
export function parseMethodRef(text: string): MethodRef {
  const s = text.replace(/^\/+/, '').trim();
  if (s === '' || /\s/.test(s)) {
    throw new DialError('USAGE', `'${text}' is not a method name`, {
      hint: 'write it as package.Service/Method, e.g. helloworld.Greeter/SayHello',
      exitCode: ExitCode.Usage,
    });
  }
  const slash = s.lastIndexOf('/');
  if (slash !== -1) return {service: s.slice(0, slash), method: s.slice(slash + 1)};
  const dot = s.lastIndexOf('.');
  if (dot !== -1) return {service: s.slice(0, dot), method: s.slice(dot + 1)};
  return {method: s};
}

/** Picks the service a reference means among the server's services. */
export function matchService(ref: MethodRef, services: string[], where: string): string | undefined {
  if (ref.service === undefined) return undefined;
  if (services.includes(ref.service)) return ref.service;
  const byShort = services.filter((s) => s === ref.service || s.endsWith(`.${ref.service}`));
  if (byShort.length === 1) return byShort[0];
  if (byShort.length > 1) {
    throw new DialError('AMBIGUOUS_SERVICE', `'${ref.service}' matches several services at ${where}: ${byShort.join(', ')}`, {
      hint: 'use the fully-qualified service name',
      exitCode: ExitCode.Usage,
    });
  }
  throw new DialError('SERVICE_NOT_FOUND', `${where} has no service '${ref.service}'${didYouMean(ref.service, services)}`, {
    hint: `list its services with 'dial list ${where}'`,
    exitCode: ExitCode.RpcBase + 12,
  });
}

/** Finds the method in a resolved service (or, with no service given, in any service of the registry). */
export function findMethod(registry: FileRegistry, ref: MethodRef, services: string[], where: string): DescMethod {
  const candidates: DescService[] = [];
  for (const name of services) {
    const svc = registry.getService(name);
    if (svc) candidates.push(svc);
  }
  const matches = candidates.flatMap((svc) => svc.methods.filter((m) => m.name === ref.method || m.name.toLowerCase() === ref.method.toLowerCase()));
  const exact = matches.filter((m) => m.name === ref.method);
  const found = exact.length > 0 ? exact : matches;
  if (found.length === 1) return found[0];
  if (found.length > 1) {
    throw new DialError('AMBIGUOUS_METHOD', `'${ref.method}' is a method of several services: ${found.map((m) => m.parent.typeName).join(', ')}`, {
      hint: `name the service, e.g. ${found[0].parent.typeName}/${found[0].name}`,
      exitCode: ExitCode.Usage,
    });
  }
  const all = candidates.flatMap((svc) => svc.methods.map((m) => `${svc.typeName}/${m.name}`));
  const names = candidates.flatMap((svc) => svc.methods.map((m) => m.name));
  const svcName = ref.service ?? (candidates.length === 1 ? candidates[0].typeName : undefined);
  throw new DialError('METHOD_NOT_FOUND', `${svcName ? `service ${svcName}` : where} has no method '${ref.method}'${didYouMean(ref.method, names)}`, {
    hint: all.length ? `its methods: ${all.slice(0, 8).join(', ')}${all.length > 8 ? ', ...' : ''}` : `list them with 'dial list ${where}'`,
    exitCode: ExitCode.RpcBase + 12,
  });
}
