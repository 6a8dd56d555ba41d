/** Entry of dist/server.js: the transport (--node-ipc, --stdio, --socket=…) is read from argv. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
