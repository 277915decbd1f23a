import { checkContent, contentDirFromArgs } from '../src/content-check';

// `npm run content:check [dir]`: every content problem, one per line; non-zero exit if any.
const dir = contentDirFromArgs(process.argv);
const { problems, lessons } = checkContent(dir);
for (const problem of problems) console.error(`✘ ${problem.file}: ${problem.message}`);
if (problems.length > 0) {
  console.error(`\ncontent check: ${problems.length} problem(s) in ${dir}`);
  process.exit(1);
}
console.log(`content check: ${lessons} lessons in 4 languages, no problems`);
