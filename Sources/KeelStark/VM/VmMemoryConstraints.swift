/// The memory table's constraints of spec/STARK.md §9.3, items 12–14, in their normative order.
enum VmMemoryConstraints {
    /// One lane's values at one row.
    struct Entry<V> {
        let address: V, time: V, value: V, write: V, active: V, same: V, gapLow: V, gapHigh: V
    }

    static func evaluate<Builder: ConstraintBuilder>(_ builder: inout Builder, memoryCellCount: UInt32) {
        typealias V = Builder.Value
        func entry(_ lane: Int, next: Bool) -> Entry<V> {
            func x(_ field: MemoryLaneField) -> V {
                next ? builder.mainNext(field.column(lane: lane)) : builder.main(field.column(lane: lane))
            }
            return Entry(address: x(.address), time: x(.time), value: x(.value), write: x(.write),
                         active: x(.active), same: x(.same), gapLow: x(.gapLow), gapHigh: x(.gapHigh))
        }
        let lanes = (0..<3).map { entry($0, next: false) }
        let one = V.one
        let lastAddress = V(Fp(UInt64(memoryCellCount - 1)))
        // 12. Each entry on its own.
        for lane in lanes {
            for flag in [lane.write, lane.active, lane.same] { builder.assertZero(flag * (flag - one), on: .all) }
            builder.assertZero(lane.same * (one - lane.active), on: .all)
            builder.assertZero((one - lane.active) * (one - lane.write), on: .all)
            builder.assertZero((one - lane.same) * (one - lane.write) * lane.value, on: .all)
        }
        // 13. Each entry against the previous one.
        let pairs: [(Entry<V>, Entry<V>, RowSet)] = [
            (lanes[1], lanes[0], .all), (lanes[2], lanes[1], .all), (entry(0, next: true), lanes[2], .transition),
        ]
        for (current, previous, rows) in pairs {
            builder.assertZero(current.active * (one - previous.active), on: rows)
            builder.assertZero(current.same * (current.address - previous.address), on: rows)
            let gap = current.same * (current.time - previous.time - one) + (one - current.same) * (current.address - previous.address - one)
            builder.assertZero(current.active * gap - (current.gapLow + V(Fp(4096)) * current.gapHigh), on: rows)
            builder.assertZero(current.same * (one - current.write) * (current.value - previous.value), on: rows)
            builder.assertZero(previous.active * (one - current.active) * (previous.address - lastAddress), on: rows)
        }
        // 14. The first entry starts an address; a full table ends at the sentinel's.
        builder.assertZero(lanes[0].same, on: .firstRow)
        builder.assertZero(lanes[2].active * (lanes[2].address - lastAddress), on: .lastRow)
    }
}
