import type {DescriptorProto, FileDescriptorProto} from '@bufbuild/protobuf/wkt';
import {WELL_KNOWN_FILES} from './well-known-files.js';

/** Fully-qualified names (with a leading dot) of the messages and enums a file defines. */
export function definedTypes(fd: FileDescriptorProto): string[] {
  const out: string[] = [];
  const prefix = fd.package ? `.${fd.package}.` : '.';
  const walk = (m: DescriptorProto, scope: string) => {
    const name = `${scope}${m.name}`;
    out.push(name);
    for (const e of m.enumType) out.push(`${name}.${e.name}`);
    for (const n of m.nestedType) walk(n, `${name}.`);
  };
  for (const m of fd.messageType) walk(m, prefix);
  for (const e of fd.enumType) out.push(`${prefix}${e.name}`);
  return out;
}

/** Every type a file refers to: field types, extendees, method inputs and outputs. */
export function referencedTypes(fd: FileDescriptorProto): Set<string> {
  const out = new Set<string>();
  const fields = (fs: DescriptorProto['field']) => {
    for (const f of fs) {
      if (f.typeName.startsWith('.')) out.add(f.typeName);
      if (f.extendee.startsWith('.')) out.add(f.extendee);
    }
  };
  const walk = (m: DescriptorProto) => {
    fields(m.field);
    fields(m.extension);
    for (const n of m.nestedType) walk(n);
  };
  for (const m of fd.messageType) walk(m);
  fields(fd.extension);
  for (const s of fd.service) for (const m of s.method) out.add(m.inputType).add(m.outputType);
  return out;
}

/** Resolves a relative type name (as some servers send them) with protobuf's scoping, innermost scope first. */
function qualify(ref: string, scope: string, known: (t: string) => boolean): string {
  if (!ref || ref.startsWith('.')) return ref;
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
    const candidate = `${s}.${ref}`;
    if (known(candidate)) return candidate;
    if (!s) return ref;
  }
}

/** Rewrites relative type names in a file to fully-qualified ones, and fills in empty JSON names. */
function qualifyFile(fd: FileDescriptorProto, known: (t: string) => boolean): void {
  const pkg = fd.package ? `.${fd.package}` : '';
  const fields = (fs: DescriptorProto['field'], scope: string) => {
    for (const f of fs) {
      // An empty json_name (sent by some servers) would make every field print as "".
      if (!f.jsonName) f.jsonName = f.name.replace(/_+([a-z0-9])?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''));
      // Assign only what changes: setting a proto2 field, even to '', marks it present ("extendee": "" in --json).
      const typeName = qualify(f.typeName, scope, known);
      if (typeName !== f.typeName) f.typeName = typeName;
      const extendee = qualify(f.extendee, scope, known);
      if (extendee !== f.extendee) f.extendee = extendee;
    }
  };
  const walk = (m: DescriptorProto, scope: string) => {
    const name = `${scope}.${m.name}`;
    fields(m.field, name);
    fields(m.extension, name);
    for (const n of m.nestedType) walk(n, name);
  };
  for (const m of fd.messageType) walk(m, pkg);
  fields(fd.extension, pkg);
  for (const s of fd.service) {
    for (const m of s.method) {
      const [input, output] = [qualify(m.inputType, pkg, known), qualify(m.outputType, pkg, known)];
      if (input !== m.inputType) m.inputType = input;
      if (output !== m.outputType) m.outputType = output;
    }
  }
}

const WKT_PROVIDERS = new Map<string, string>();
for (const [name, f] of WELL_KNOWN_FILES) for (const t of definedTypes(f.proto)) WKT_PROVIDERS.set(t, name);

/**
 * Makes a server's reflection answers usable when they are less complete than
 * they should be (as @grpc/reflection's are: files named per package, empty
 * dependency lists, google.protobuf types bundled into a file of their own):
 * non-standard files holding google.protobuf types give way to the built-in
 * well-known files, and each file gets a dependency on every file that defines
 * a type it uses. Returns the types that no known file defines.
 */
export function repairFiles(files: Map<string, FileDescriptorProto>): string[] {
  for (const [name, fd] of files) {
    if (!name.startsWith('google/protobuf/') && fd.package === 'google.protobuf') {
      files.delete(name);
      for (const other of files.values()) other.dependency = other.dependency.filter((d) => d !== name);
    }
  }
  const provider = new Map(WKT_PROVIDERS);
  for (const [name, fd] of files) for (const t of definedTypes(fd)) if (!provider.has(t)) provider.set(t, name);
  const unknown = new Set<string>();
  for (const [name, fd] of [...files]) {
    if (!name.startsWith('google/protobuf/')) qualifyFile(fd, (t) => provider.has(t));
    for (const t of referencedTypes(fd)) {
      const from = provider.get(t);
      if (!from) unknown.add(t);
      else if (from !== name && !fd.dependency.includes(from)) {
        fd.dependency.push(from);
        if (!files.has(from)) files.set(from, WELL_KNOWN_FILES.get(from)!.proto);
      }
    }
  }
  return [...unknown];
}
