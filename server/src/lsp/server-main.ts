import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { RULES } from '../rules/registry';
import { describeError } from './guard';
import { startServer } from './language-server';

// The bundled entry (dist/server.js). The client starts it over IPC; `--stdio` works too.
const connection = createConnection(ProposedFeatures.all);

// Last line of defence: a bug in one handler is logged, and the server keeps answering.
process.on('uncaughtException', (error) => connection.console.error(`Unexpected error: ${describeError(error)}`));
process.on('unhandledRejection', (reason) => connection.console.error(`Unhandled rejection: ${describeError(reason)}`));

startServer(connection, { rules: RULES });
connection.listen();
