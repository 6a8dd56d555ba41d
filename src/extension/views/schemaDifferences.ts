import * as vscode from 'vscode';
import { ViewIds } from '../constants';

/**
 * The Schema Differences view until a verify fills it: an empty tree, so its viewsWelcome text shows
 * instead of "no data provider". The verify feature replaces this registration with its own provider.
 */
export function registerEmptySchemaDifferences(): vscode.Disposable {
  const empty: vscode.TreeDataProvider<never> = { getTreeItem: (n: never) => n, getChildren: () => [] };
  return vscode.window.registerTreeDataProvider(ViewIds.schemaDifferences, empty);
}
