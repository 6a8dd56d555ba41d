// The project's script.py.mako gets what `alembic revision` gives it: templates of real projects
// use `${create_date.year}` (a copyright line) as well as `${create_date}`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { prepareSquash } from '../../../src/core/squash';
import { copyFixture, PYTHON } from '../../unit/squash/support';

describe("the project's script.py.mako", function () {
  this.timeout(60_000);
  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
  });

  it('renders a template that reads create_date as a datetime (a copyright year), with the Create Date line as Alembic writes it', async () => {
    const copy = copyFixture('linear');
    try {
      const template = path.join(copy.dir, 'migrations', 'script.py.mako');
      fs.writeFileSync(template, `# Copyright \${create_date.year} The Bookshop Authors\n${fs.readFileSync(template, 'utf8')}`);
      const createDate = new Date(2024, 4, 1, 12, 30, 0);
      const { render } = await prepareSquash({ project: loadProject(copy.dir), from: 'base', to: 'head', python: PYTHON, options: { createDate } });
      assert.equal(render.renderedWith, 'project-template', JSON.stringify(render.warnings));
      assert.ok(render.text.startsWith('# Copyright 2024 The Bookshop Authors\n'), render.text.slice(0, 80));
      assert.match(render.text, /Create Date: 2024-05-01 12:30:00\n/);
    } finally {
      copy.cleanup();
    }
  });

  it('keeps a multi-line message a comment when the template writes `# ${message}` (no docstring, as OpenStack projects do)', async () => {
    const copy = copyFixture('linear');
    try {
      const template = path.join(copy.dir, 'migrations', 'script.py.mako');
      const original = fs.readFileSync(template, 'utf8');
      const docstring = original.slice(0, original.indexOf('"""\n', 3) + 4);
      fs.writeFileSync(template, original.replace(docstring, '# ${message}\n#\n# Revision ID: ${up_revision}\n# Revises: ${down_revision | comma,n}\n# Create Date: ${create_date}\n'));
      const { render } = await prepareSquash({ project: loadProject(copy.dir), from: 'base', to: 'head', python: PYTHON });
      assert.equal(render.renderedWith, 'project-template', JSON.stringify(render.warnings));
      const head = render.text.slice(0, render.text.indexOf('# Revision ID:'));
      assert.match(head, /^# squash /);
      assert.match(head, /\n# Squashes 6 revisions:\n# - 3f1c2a9b7d10: /);
      for (const line of head.trimEnd().split('\n')) assert.ok(line.startsWith('#'), `not a comment: ${JSON.stringify(line)}`);
    } finally {
      copy.cleanup();
    }
  });
});
