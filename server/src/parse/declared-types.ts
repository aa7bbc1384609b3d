import * as fs from 'fs';
import { isBuiltin } from 'module';
import { performance } from 'perf_hooks';
import * as path from 'path';
import * as ts from 'typescript';
import { importedModules } from './host-syntax';

/**
 * The TypeScript type checker over a file and what it imports, for the database handles whose kind only types
 * reveal: `import { db } from './db'` where db.ts exports `new Pool()`, a parameter typed by a local alias of
 * `pg.PoolClient`, a service's `private readonly pool: DatabasePool` injected by its constructor. It reads
 * declarations (the workspace's node_modules/@types/pg, knex's own types, ...) and never runs code.
 *
 * Only used where the workspace has such declarations, and only for a name the syntax path could not resolve:
 * a file that never asks pays nothing. A program is built per version of the linted file, reusing the previous
 * program of its project (`oldProgram`) and one parse of every file from disk (keyed by path and mtime), so an
 * edit costs a new checker over already-parsed declarations, not a re-read of @types/node.
 */

/** The declaring package and type name of a handle's type: `{ module: 'pg', name: 'PoolClient' }`. */
export interface DeclaredType {
  module: string;
  name: string;
}

/**
 * Packages whose declarations name database handles, as `node_modules/<entry>` (a types entry point that exists
 * only where the declarations are installed). pg ships no types: they come from @types/pg.
 */
const DECLARATION_ENTRIES = [
  '@types/pg/index.d.ts',
  'postgres/types/index.d.ts',
  'knex/types/index.d.ts',
  'kysely/dist/cjs/index.d.ts',
  'sequelize/types/index.d.ts',
  'typeorm/index.d.ts',
  'slonik/dist/index.d.ts',
  'mysql2/index.d.ts',
];

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  // ES2022 without the DOM: enough for Promise, async iterators and the libraries' own declarations.
  lib: ['lib.es5.d.ts'],
  allowJs: true,
  checkJs: false,
  // Only what the file imports: not every @types package a large workspace holds.
  types: [],
  // The libraries' JavaScript is never read: their declarations say what they return.
  maxNodeModuleJsDepth: 0,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
  noEmit: true,
};

/**
 * Node's own modules (`events`, `stream`, `tls`, which @types/pg imports) and @types/node are not read: no
 * database handle is declared there, and their thousands of declarations would make every edit's new checker
 * several times slower. A class that extends `EventEmitter` keeps its own name and members.
 */
const NOT_READ: ts.ResolvedModuleWithFailedLookupLocations = { resolvedModule: undefined };
const NOT_READ_TYPES: ts.ResolvedTypeReferenceDirectiveWithFailedLookupLocations = {
  resolvedTypeReferenceDirective: undefined,
};

function typeReferenceName(reference: ts.FileReference | string): string {
  return typeof reference === 'string' ? reference : reference.fileName.toLowerCase();
}

/** Projects (workspace roots with declarations) whose parsed files are kept; the least recently used goes first. */
const MAX_PROJECTS = 3;

/** A file the linted file imports, or a declaration file, parsed once per modification time. */
interface ParsedFile {
  mtimeMs: number;
  source: ts.SourceFile;
}

/** One workspace root's parsed files and last program, reused across lints of the files below it. */
class ProjectTypes {
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly resolutionCache: ts.ModuleResolutionCache;
  private readonly typeCache: ts.TypeReferenceDirectiveResolutionCache;
  private lastProgram: ts.Program | undefined;
  private readonly checkers = new WeakMap<ts.SourceFile, CheckedProgram>();

  constructor(readonly root: string) {
    this.resolutionCache = ts.createModuleResolutionCache(root, (name) => name, COMPILER_OPTIONS);
    this.typeCache = ts.createTypeReferenceDirectiveResolutionCache(
      root,
      (name) => name,
      COMPILER_OPTIONS,
      this.resolutionCache.getPackageJsonInfoCache(),
    );
  }

  /** The checker of a program over `source` (the lint's own tree, in memory) and what it imports from disk. */
  checkerFor(source: ts.SourceFile): ts.TypeChecker {
    const known = this.checkers.get(source);
    if (known && this.isCurrent(known)) return known.checker;
    const host = this.hostFor(source);
    const program = ts.createProgram({
      rootNames: [source.fileName],
      options: COMPILER_OPTIONS,
      host,
      oldProgram: this.lastProgram,
    });
    this.lastProgram = program;
    this.forgetFilesOutside(program);
    const checked: CheckedProgram = {
      checker: program.getTypeChecker(),
      // The project's own modules it read (not the libraries' declarations): a change to one on disk makes a new one.
      projectFiles: program
        .getSourceFiles()
        .filter((file) => file !== source && !isLibraryFile(file.fileName))
        .map((file) => ({ fileName: file.fileName, mtimeMs: this.parsed.get(file.fileName)?.mtimeMs })),
      checkedAt: performance.now(),
    };
    this.checkers.set(source, checked);
    return checked.checker;
  }

  /**
   * Whether the project modules a checker read are unchanged on disk. Asked at most every `RECHECK_MS`: one lint
   * asks for the checker of its file once per name, and a file's own edits make a new tree (and checker) anyway.
   */
  private isCurrent(checked: CheckedProgram): boolean {
    const now = performance.now();
    if (now - checked.checkedAt < RECHECK_MS) return true;
    checked.checkedAt = now;
    return checked.projectFiles.every(({ fileName, mtimeMs }) => modifiedAt(fileName) === mtimeMs);
  }

  private hostFor(source: ts.SourceFile): ts.CompilerHost {
    const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
    host.getSourceFile = (fileName, languageVersion) =>
      fileName === source.fileName ? source : this.parsedFile(fileName, languageVersion);
    // package.json files are read once per project, not once per file and program.
    host.getModuleResolutionCache = () => this.resolutionCache;
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options) =>
      literals.map((literal) =>
        isBuiltin(literal.text)
          ? NOT_READ
          : ts.resolveModuleName(
              literal.text,
              containingFile,
              options,
              host,
              this.resolutionCache,
              redirectedReference,
            ),
      );
    host.resolveTypeReferenceDirectiveReferences = (references, containingFile, redirectedReference, options) =>
      references.map((reference) => {
        const name = typeReferenceName(reference);
        return name === 'node'
          ? NOT_READ_TYPES
          : ts.resolveTypeReferenceDirective(name, containingFile, options, host, redirectedReference, this.typeCache);
      });
    return host;
  }

  /** A file from disk, parsed again only when it changed on disk (an unsaved edit elsewhere is not seen). */
  private parsedFile(fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions) {
    const mtimeMs = modifiedAt(fileName);
    if (mtimeMs === undefined) return undefined;
    const known = this.parsed.get(fileName);
    if (known && known.mtimeMs === mtimeMs) return known.source;
    let text: string;
    try {
      text = fs.readFileSync(fileName, 'utf8');
    } catch {
      return undefined;
    }
    const source = ts.createSourceFile(fileName, text, languageVersion, true);
    this.parsed.set(fileName, { mtimeMs, source });
    return source;
  }

  /** Memory stays bounded by what the last program uses: files no longer imported are parsed again if needed. */
  private forgetFilesOutside(program: ts.Program): void {
    for (const fileName of this.parsed.keys()) if (!program.getSourceFile(fileName)) this.parsed.delete(fileName);
  }
}

interface CheckedProgram {
  checker: ts.TypeChecker;
  projectFiles: { fileName: string; mtimeMs: number | undefined }[];
  checkedAt: number;
}

/** How long a checker's view of the project's other modules is trusted without looking at the disk again. */
const RECHECK_MS = 250;

function modifiedAt(fileName: string): number | undefined {
  try {
    return fs.statSync(fileName).mtimeMs;
  } catch {
    return undefined;
  }
}

/** A library's declarations or TypeScript's own lib files: read once per modification, not watched per lint. */
function isLibraryFile(fileName: string): boolean {
  return /[\\/]node_modules[\\/]/.test(fileName);
}

const projects = new Map<string, ProjectTypes>();
/** Directory → the workspace root above it whose node_modules holds handle declarations, or null for none. */
const rootOfDirectory = new Map<string, string | null>();

/** The nearest directory at or above `directory` whose node_modules holds a database library's declarations. */
function declarationRoot(directory: string): string | undefined {
  const known = rootOfDirectory.get(directory);
  if (known !== undefined) return known ?? undefined;
  const hasDeclarations = DECLARATION_ENTRIES.some((entry) =>
    fs.existsSync(path.join(directory, 'node_modules', entry)),
  );
  const parent = path.dirname(directory);
  const root = hasDeclarations ? directory : parent === directory ? undefined : declarationRoot(parent);
  rootOfDirectory.set(directory, root ?? null);
  return root;
}

function projectFor(root: string): ProjectTypes {
  let project = projects.get(root);
  if (project) projects.delete(root);
  else project = new ProjectTypes(root);
  projects.set(root, project);
  if (projects.size > MAX_PROJECTS) projects.delete(projects.keys().next().value!);
  return project;
}

/**
 * Whether types can say more about this file's names than its syntax: its workspace has the declarations and
 * the file imports something (a module of its own, a database library) a handle can come from.
 */
function mayDeclareHandles(source: ts.SourceFile): string | undefined {
  if (!path.isAbsolute(source.fileName) || importedModules(source).length === 0) return undefined;
  return declarationRoot(path.dirname(source.fileName));
}

/** What types say about a handle: its type's package and name, and the declaration its name refers to. */
export interface DeclaredHandle {
  type: DeclaredType;
  /** Where the name is declared, in this file or the module it comes from: two uses of it share one owner. */
  declaration?: ts.Declaration;
}

/**
 * The package and name of the type of `expr` (a name, property access or call in its file), looking through
 * `| null`, `| undefined` and aliases; undefined where the workspace has no declarations or the type is not a
 * library's.
 */
export function declaredHandleOf(expr: ts.Expression): DeclaredHandle | undefined {
  const source = expr.getSourceFile();
  const root = mayDeclareHandles(source);
  if (!root) return undefined;
  const checker = projectFor(root).checkerFor(source);
  const type = checker.getNonNullableType(checker.getTypeAtLocation(expr));
  // A local alias (`type Database = pg.Pool`) names the alias first: the library's type it stands for counts.
  const declared =
    (type.aliasSymbol && declaredIn(type.aliasSymbol)) ?? (type.getSymbol() && declaredIn(type.getSymbol()!));
  if (!declared) return undefined;
  const name = ts.isPropertyAccessExpression(expr) ? expr.name : expr;
  const symbol = checker.getSymbolAtLocation(name);
  const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return { type: declared, declaration: target?.declarations?.[0] };
}

/** `pg` for a symbol declared in node_modules/@types/pg/..., `knex` for node_modules/knex/types/... */
function declaredIn(symbol: ts.Symbol): DeclaredType | undefined {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName;
  const match = file && /.*[\\/]node_modules[\\/](?:@types[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
  return match ? { module: match[1].replace(/\\/g, '/'), name: symbol.getName() } : undefined;
}

/**
 * The value of a constant the file imports or computes from constants (`VISIBILITY_STATUSES.CURRENT`, `TABLE_NAME`),
 * as the type checker knows it without running code: a literal type (`as const`, a `const` of a literal), else the
 * literal initializer of the `const` or object property the name is declared by. Undefined where the workspace has no
 * declarations or the value is not a literal.
 */
export function declaredConstantOf(expr: ts.Expression): string | number | boolean | undefined {
  const source = expr.getSourceFile();
  const root = mayDeclareHandles(source);
  if (!root) return undefined;
  const checker = projectFor(root).checkerFor(source);
  const type = checker.getTypeAtLocation(expr);
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  if (type.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type) === 'true';
  const name = ts.isPropertyAccessExpression(expr)
    ? expr.name
    : ts.isElementAccessExpression(expr)
      ? expr.argumentExpression
      : expr;
  const symbol = checker.getSymbolAtLocation(name);
  const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declaration = target?.valueDeclaration;
  const isConstVariable =
    declaration !== undefined &&
    ts.isVariableDeclaration(declaration) &&
    (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) !== 0;
  // An object property's value can be reassigned at run time only through the object, which a constants module
  // does not do; a `let` can be, anywhere.
  const initializer =
    isConstVariable || (declaration && ts.isPropertyAssignment(declaration)) ? declaration.initializer : undefined;
  return initializer ? literalOf(initializer) : undefined;
}

function literalOf(expr: ts.Expression): string | number | boolean | undefined {
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return expr.text;
  if (ts.isNumericLiteral(expr)) return Number(expr.text);
  if (expr.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expr.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isAsExpression(expr) || ts.isParenthesizedExpression(expr) || ts.isSatisfiesExpression(expr))
    return literalOf(expr.expression);
  return undefined;
}
