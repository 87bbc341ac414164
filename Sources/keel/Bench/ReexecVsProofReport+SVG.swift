extension ReexecVsProofReport {
    /// One line of the plot: a method's times against VM steps.
    struct PlotSeries: Sendable {
        let name: String
        let colour: String
        let marker: Marker
        let ns: @Sendable (ReexecVsProofRow) -> UInt64
    }

    /// The marker shape of a series, so the lines stay apart without colour too.
    enum Marker: Sendable { case circle, square, triangle, diamond }

    /// The four methods, in legend order, with colours from the Okabe-Ito palette.
    static let plotSeries: [PlotSeries] = [
        PlotSeries(name: "full re-exec", colour: "#0072B2", marker: .circle) { $0.fullReexecNs },
        PlotSeries(name: "stateless re-exec", colour: "#E69F00", marker: .square) { $0.statelessReexecNs },
        PlotSeries(name: "proof verify", colour: "#009E73", marker: .triangle) { $0.proofVerifyNs },
        PlotSeries(name: "prove", colour: "#CC79A7", marker: .diamond) { $0.proveNs },
    ]

    /// The plot's size and the plot area inside it, in pixels.
    enum PlotLayout {
        static let width = 720.0
        static let height = 480.0
        static let left = 90.0
        static let right = 700.0
        static let top = 56.0
        static let bottom = 376.0
        static let legendY = 452.0
    }

    /// A self-contained SVG line plot on log-log axes: VM steps executed (x) against median time
    /// (y), one polyline with markers per method, decade gridlines, axis titles and a legend.
    ///
    /// Times of 0 ns and step counts of 0 are drawn at 1, and a single row still gives a decade
    /// wide axis, so no coordinate is ever NaN or infinite. All caller text is XML-escaped.
    ///
    /// - Returns: The SVG document, ending in a newline.
    func svg() -> String {
        let sorted = sortedRows
        let xAxis = LogAxis(covering: sorted.map(\.vmSteps), pixelLow: PlotLayout.left, pixelHigh: PlotLayout.right)
        let times = sorted.flatMap { row in Self.plotSeries.map { $0.ns(row) } }
        let yAxis = LogAxis(covering: times, pixelLow: PlotLayout.bottom, pixelHigh: PlotLayout.top)
        var svg = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(PlotLayout.width))\" height=\"\(Int(PlotLayout.height))\""
                + " viewBox=\"0 0 \(Int(PlotLayout.width)) \(Int(PlotLayout.height))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<title>\(XMLEscape.string(Self.title))</title>",
            "<desc>\(XMLEscape.string(plotDescription))</desc>",
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        ]
        svg += headerText()
        svg += Self.grid(xAxis: xAxis, yAxis: yAxis)
        for series in Self.plotSeries {
            svg += Self.seriesElements(series, rows: sorted, xAxis: xAxis, yAxis: yAxis)
        }
        svg += Self.legend()
        svg.append("</svg>")
        precondition(svg.first?.hasPrefix("<?xml") == true && svg.last == "</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private var plotDescription: String {
        var description = "Median of \(runs) run\(runs == 1 ? "" : "s") on \(machine), \(date). Proof system: \(proofSystem)."
        if proofBackendIsStub { description += " The proof backend is a stub: its proofs prove nothing about execution." }
        return description
    }

    private func headerText() -> [String] {
        let stub = proofBackendIsStub ? "; proof backend: STUB" : ""
        let subtitle = "median of \(runs) run\(runs == 1 ? "" : "s"), \(machine), \(date)\(stub)"
        return [
            Self.text(Self.title, x: PlotLayout.width / 2, y: 22, attributes: "text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\""),
            Self.text(subtitle, x: PlotLayout.width / 2, y: 40, attributes: "text-anchor=\"middle\" font-size=\"11\" fill=\"#444444\""),
        ]
    }

    /// The frame, decade gridlines with labels, and the axis titles.
    private static func grid(xAxis: LogAxis, yAxis: LogAxis) -> [String] {
        var elements = ["<g stroke=\"#dddddd\" stroke-width=\"1\">"]
        for exponent in xAxis.exponentLow...xAxis.exponentHigh {
            let x = coordinate(xAxis.pixel(exponent: exponent))
            elements.append("<line x1=\"\(x)\" y1=\"\(coordinate(PlotLayout.top))\" x2=\"\(x)\" y2=\"\(coordinate(PlotLayout.bottom))\"/>")
        }
        for exponent in yAxis.exponentLow...yAxis.exponentHigh {
            let y = coordinate(yAxis.pixel(exponent: exponent))
            elements.append("<line x1=\"\(coordinate(PlotLayout.left))\" y1=\"\(y)\" x2=\"\(coordinate(PlotLayout.right))\" y2=\"\(y)\"/>")
        }
        elements.append("</g>")
        elements.append(
            "<rect x=\"\(coordinate(PlotLayout.left))\" y=\"\(coordinate(PlotLayout.top))\" width=\"\(coordinate(PlotLayout.right - PlotLayout.left))\""
                + " height=\"\(coordinate(PlotLayout.bottom - PlotLayout.top))\" fill=\"none\" stroke=\"#888888\"/>")
        for exponent in xAxis.labelledExponents(labelCountMax: 12) {
            elements.append(text("10^\(exponent)", x: xAxis.pixel(exponent: exponent), y: PlotLayout.bottom + 18, attributes: "text-anchor=\"middle\""))
        }
        for exponent in yAxis.labelledExponents(labelCountMax: 12) where exponent <= 19 {
            let label = DurationFormat.decadeLabel(exponent: exponent)
            elements.append(text(label, x: PlotLayout.left - 8, y: yAxis.pixel(exponent: exponent) + 4, attributes: "text-anchor=\"end\""))
        }
        let xTitleX = (PlotLayout.left + PlotLayout.right) / 2
        elements.append(text("VM steps executed per block (log scale)", x: xTitleX, y: PlotLayout.bottom + 42, attributes: "text-anchor=\"middle\""))
        let yTitleY = (PlotLayout.top + PlotLayout.bottom) / 2
        elements.append(
            text("median time per block (log scale)", x: 20, y: yTitleY,
                 attributes: "text-anchor=\"middle\" transform=\"rotate(-90 20 \(coordinate(yTitleY)))\""))
        precondition(elements.count > 4)
        return elements
    }

    /// One method: its polyline and a marker per row.
    private static func seriesElements(_ series: PlotSeries, rows: [ReexecVsProofRow], xAxis: LogAxis, yAxis: LogAxis) -> [String] {
        let points = rows.map { (x: xAxis.pixel($0.vmSteps), y: yAxis.pixel(series.ns($0))) }
        let pointList = points.map { "\(coordinate($0.x)),\(coordinate($0.y))" }.joined(separator: " ")
        var elements = ["<g class=\"series\" data-method=\"\(XMLEscape.string(series.name))\">"]
        elements.append(
            "<polyline fill=\"none\" stroke=\"\(series.colour)\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(pointList)\"/>")
        for point in points {
            elements.append(marker(series.marker, x: point.x, y: point.y, colour: series.colour))
        }
        elements.append("</g>")
        precondition(elements.count == rows.count + 3)
        return elements
    }

    /// The legend: a short line, the marker and the name of each method, side by side below the
    /// x axis title.
    private static func legend() -> [String] {
        var elements = ["<g class=\"legend\">"]
        let entryWidth = (PlotLayout.right - PlotLayout.left) / Double(plotSeries.count)
        for (index, series) in plotSeries.enumerated() {
            let x = PlotLayout.left + Double(index) * entryWidth
            let y = PlotLayout.legendY
            elements.append(
                "<line x1=\"\(coordinate(x))\" y1=\"\(coordinate(y))\" x2=\"\(coordinate(x + 28))\" y2=\"\(coordinate(y))\""
                    + " stroke=\"\(series.colour)\" stroke-width=\"2\"/>")
            elements.append(marker(series.marker, x: x + 14, y: y, colour: series.colour))
            elements.append(text(series.name, x: x + 34, y: y + 4, attributes: ""))
        }
        elements.append("</g>")
        precondition(elements.count == 3 * plotSeries.count + 2)
        return elements
    }

    private static func marker(_ marker: Marker, x: Double, y: Double, colour: String) -> String {
        let fill = "fill=\"\(colour)\""
        switch marker {
        case .circle:
            return "<circle cx=\"\(coordinate(x))\" cy=\"\(coordinate(y))\" r=\"4\" \(fill)/>"
        case .square:
            return "<rect x=\"\(coordinate(x - 3.5))\" y=\"\(coordinate(y - 3.5))\" width=\"7\" height=\"7\" \(fill)/>"
        case .triangle:
            return "<polygon points=\"\(pointList([(x, y - 5), (x + 4.5, y + 3.5), (x - 4.5, y + 3.5)]))\" \(fill)/>"
        case .diamond:
            return "<polygon points=\"\(pointList([(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)]))\" \(fill)/>"
        }
    }

    private static func pointList(_ points: [(Double, Double)]) -> String {
        points.map { "\(coordinate($0.0)),\(coordinate($0.1))" }.joined(separator: " ")
    }

    private static func text(_ content: String, x: Double, y: Double, attributes: String) -> String {
        let extra = attributes.isEmpty ? "" : " " + attributes
        return "<text x=\"\(coordinate(x))\" y=\"\(coordinate(y))\"\(extra)>\(XMLEscape.string(content))</text>"
    }

    /// A pixel coordinate with one decimal; a NaN or infinite one is a bug in the scales.
    private static func coordinate(_ value: Double) -> String {
        precondition(value.isFinite, "plot coordinates are always finite")
        precondition(value >= -PlotLayout.width && value <= 2 * PlotLayout.width)
        return value < 0 ? "-" + SignificantFormat.fixed(-value, decimals: 1) : SignificantFormat.fixed(value, decimals: 1)
    }
}
