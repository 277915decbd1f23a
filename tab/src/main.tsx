import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

/**
 * Two pages, one bundle entry: "My brevet" (every learner), and the training office's programme
 * dashboard at `#/programme` (the manifest's "Programme" tab). The dashboard and its charts are a
 * separate chunk, loaded only on that page, so the learner's first render does not carry them.
 */
const ProgrammeApp = lazy(() => import('./programme/ProgrammeApp'));

export function isProgrammePage(location: Pick<Location, 'hash'>): boolean {
  return location.hash === '#/programme';
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing from index.html');
createRoot(container).render(
  <StrictMode>
    {isProgrammePage(window.location) ? (
      <Suspense fallback={null}>
        <ProgrammeApp />
      </Suspense>
    ) : (
      <App />
    )}
  </StrictMode>,
);
