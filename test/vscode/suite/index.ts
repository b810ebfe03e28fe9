import Mocha from 'mocha';
import { registerSuite } from './extension.vscode-test';

/** Entry point @vscode/test-electron loads inside the extension host. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: true });
  mocha.suite.emit('pre-require', globalThis, 'extension', mocha);
  registerSuite();
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed`)) : resolve()));
  });
}
