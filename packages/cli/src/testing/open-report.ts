import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Debian's Chromium, which the report tests drive through playwright-core (npm cannot download a browser here). */
const CHROMIUM = '/usr/bin/chromium';

/** What a headless browser found in a rendered report. */
export interface RenderedReport {
  /** Ids of the charts echarts drew. */
  chartIds: string[];
  /** Bars of the AUC chart whose layout has a positive width and height, per model series. */
  barsPerSeries: Record<string, number>;
  /** Points drawn in each training-curve chart. */
  curvePoints: Record<string, number>;
  /** Cells of each diagnostic heatmap, keyed by `<model>: <diagnostic>`. */
  heatmapCells: Record<string, number>;
  /** Rows of the results table, and how many are marked best. */
  tableRows: number;
  /** Rows of the results table marked best. */
  bestRows: number;
  /** Errors the page threw or logged. */
  pageErrors: string[];
  /** Whether the canvas of the AUC chart has non-white pixels. */
  aucCanvasPainted: boolean;
  /** Data items drawn per chart id and series type (`{ 'chart-forest-0': { scatter: 6, custom: 6 } }`). */
  seriesItems: Record<string, Record<string, number>>;
  /** Body rows of every table, by its id. */
  tables: Record<string, number>;
}

/**
 * Opens a report in Debian's headless Chromium (offline: every request other than the file itself is
 * aborted), waits for the charts, measures what was drawn, and saves a screenshot.
 */
export async function openReport(htmlPath: string, screenshotPath: string): Promise<RenderedReport> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the report test renders the HTML report in headless Chromium, and ${CHROMIUM} is missing: install it with ` +
        '`apt-get install chromium` (Debian/Ubuntu; .ci/run does this on CI machines), then run the tests again',
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'ektm-chromium-'));
  // A fresh profile every time (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1200, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? pageErrors.push(m.text()) : undefined));
    const url = pathToFileURL(htmlPath).href;
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { ektmReport?: { ready: boolean } }).ektmReport?.ready === true, undefined, {
      timeout: 30_000,
    });
    const measured = await page.evaluate(() => {
      type Chart = {
        getModel(): {
          getSeriesByType(
            t: string,
          ): Array<{ name: string; getData(): { count(): number; getItemLayout(i: number): { width: number; height: number } | null } }>;
        };
      };
      const charts = (window as unknown as { ektmReport: { charts: Record<string, Chart> } }).ektmReport.charts;
      const barsPerSeries: Record<string, number> = {};
      for (const series of charts['chart-auc']!.getModel().getSeriesByType('bar')) {
        const data = series.getData();
        let drawn = 0;
        for (let i = 0; i < data.count(); i++) {
          const layout = data.getItemLayout(i);
          if (layout && Math.abs(layout.width) > 0 && Math.abs(layout.height) > 0) drawn++;
        }
        barsPerSeries[series.name] = drawn;
      }
      const curvePoints: Record<string, number> = {};
      for (const id of ['chart-curve-auc', 'chart-curve-loss']) {
        curvePoints[id] = charts[id]!.getModel()
          .getSeriesByType('line')
          .reduce((n, s) => n + s.getData().count(), 0);
      }
      const heatmapCells: Record<string, number> = {};
      for (const el of Array.from(document.querySelectorAll('#diagnostics [data-diagnostic]'))) {
        const chart = charts[el.id]!;
        heatmapCells[`${el.getAttribute('data-model')}: ${el.getAttribute('data-diagnostic')}`] = chart
          .getModel()
          .getSeriesByType('heatmap')
          .reduce((n, s) => n + s.getData().count(), 0);
      }
      const seriesItems: Record<string, Record<string, number>> = {};
      for (const [id, chart] of Object.entries(charts)) {
        const counts: Record<string, number> = {};
        for (const type of ['scatter', 'custom', 'line', 'bar', 'heatmap']) {
          const n = chart
            .getModel()
            .getSeriesByType(type)
            .reduce((k, s) => k + s.getData().count(), 0);
          if (n > 0) counts[type] = n;
        }
        seriesItems[id] = counts;
      }
      const tables: Record<string, number> = {};
      for (const table of Array.from(document.querySelectorAll('table[id]'))) tables[table.id] = table.querySelectorAll('tbody tr').length;
      const canvas = document.querySelector('#chart-auc canvas') as HTMLCanvasElement | null;
      let painted = false;
      if (canvas) {
        const ctx = canvas.getContext('2d')!;
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 0; i < pixels.length && !painted; i += 4)
          painted = pixels[i + 3]! > 0 && (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200);
      }
      return {
        chartIds: Object.keys(charts),
        barsPerSeries,
        curvePoints,
        heatmapCells,
        tableRows: document.querySelectorAll('#results tbody tr').length,
        bestRows: document.querySelectorAll('#results tbody tr.best').length,
        aucCanvasPainted: painted,
        seriesItems,
        tables,
      };
    });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    return { ...measured, pageErrors };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
