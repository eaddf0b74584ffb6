/** Prints the role x endpoint table (Markdown) for docs/security.md. */
import { roleTableMarkdown, roles } from '../src/access/index.js';

process.stdout.write(roleTableMarkdown(roles) + '\n');
