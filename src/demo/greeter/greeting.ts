/** The greeting every demo greeter returns, in every protocol. */
export function greeting(name: string | undefined): string {
  return `Hello, ${name && name.trim() !== '' ? name : 'world'}!`;
}
