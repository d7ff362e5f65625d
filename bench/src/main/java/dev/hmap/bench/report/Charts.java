// SPDX-License-Identifier: Apache-2.0
package dev.hmap.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The report's charts, drawn headless with XChart into PNG files. */
final class Charts {
    private Charts() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 820, HEIGHT = 480;

    /**
     * A line per series over x (both axes logarithmic): {@code series} maps a name to {x[], y[]}. Empty
     * series are left out. Returns false (and writes nothing) when no series has a point.
     */
    static boolean lines(Path png, String title, String xTitle, String yTitle, Map<String, double[][]> series)
            throws IOException {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true)
                .setLegendPosition(Styler.LegendPosition.OutsideE).setChartBackgroundColor(java.awt.Color.WHITE);
        boolean any = false;
        for (var e : series.entrySet()) {
            double[][] xy = e.getValue();
            if (xy[0].length == 0) continue;
            c.addSeries(e.getKey(), xy[0], xy[1]).setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (any) save(c, png);
        return any;
    }

    /**
     * Grouped bars: {@code series} maps a name to one value per category (null: no bar). {@code logY}
     * draws the value axis logarithmically.
     */
    static boolean bars(Path png, String title, String yTitle, List<String> categories,
                        Map<String, List<Double>> series, boolean logY) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
        c.getStyler().setYAxisLogarithmic(logY).setLegendPosition(Styler.LegendPosition.OutsideE)
                .setChartBackgroundColor(java.awt.Color.WHITE);
        // Bars start at 0 unless told otherwise, which a logarithmic axis cannot show.
        double min = series.values().stream().flatMap(List::stream).filter(v -> v != null && v > 0)
                .mapToDouble(v -> v).min().orElse(1);
        if (logY) c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        boolean any = false;
        for (var e : series.entrySet()) {
            List<Double> ys = e.getValue();
            List<Number> y = ys.stream().map(v -> (Number) (v == null || v <= 0 ? 0.0 : v)).toList();
            if (ys.stream().allMatch(v -> v == null)) continue;
            if (logY && ys.stream().anyMatch(v -> v == null || v <= 0)) continue; // a log axis has no place for 0
            c.addSeries(e.getKey(), categories, y);
            any = true;
        }
        if (any) save(c, png);
        return any;
    }

    private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, Path png) throws IOException {
        String name = png.toString();
        BitmapEncoder.saveBitmap(c, name.substring(0, name.length() - ".png".length()), BitmapEncoder.BitmapFormat.PNG);
    }
}
