import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the HTTP API's router (README, "HTTP API").
///
/// | route | answer |
/// |---|---|
/// | `GET /health` | liveness and sync status |
/// | `GET /node/identity` | node id, version, listen address, peers, validators, genesis root |
/// | `GET /chain/head` | head slot, epoch, root and state root |
/// | `GET /chain/finality` | justified and finalized checkpoints |
/// | `GET /genesis` | the genesis file the node runs, as `keel node --genesis` reads it |
/// | `GET /blocks/{id}` | a block by `head`, slot or root, with its canonical encoding |
/// | `GET /blocks/{id}/proof` | a prover node's proof of the block's transition (STUB system) |
/// | `GET /blocks/{id}/witness` | a prover node's block witness, for stateless re-execution |
/// | `GET /blocks/{id}/registry` | a prover node's registry proof of the block's post-state |
/// | `GET /validators`, `GET /validators/{index}` | registry entries with balances and status |
/// | `GET /accounts/{address}` | an account with its Merkle proof against the state root |
/// | `GET /programs/{address}` | a program (code hash, size, storage) with its Merkle proof |
/// | `POST /transactions` | submits a signed transaction |
/// | `GET /transactions/{root}` | pending, included (with its receipt) or unknown |
/// | `GET /blocks/{id}/receipts` | the receipts of a block's transactions |
/// | `GET /events?topics=...` | server-sent events: head, block, checkpoints, reorgs, slashings, transactions |
/// | `GET /openapi.json` | the OpenAPI 3.1 document of this API |
/// | `GET /fork_choice` | the fork-choice tree (Beacon API debug shape) with the head |
/// | `GET /node/peers` | the connected peers |
/// | `GET /proposers` | the proposer of every slot of the head's epoch |
/// | `GET /ui` | the testnet explorer (one embedded HTML page) |
/// | `GET /metrics` | Prometheus text |
///
/// Every error, including an unknown route, is JSON `{"error": "..."}` with a 4xx or 5xx status.
///
/// - Parameters:
///   - view: The chain the API reads and submits to.
///   - metrics: The metrics served at `/metrics`.
///   - requestBodyBytesMax: The largest request body accepted; larger ones get 413.
/// - Returns: A router for an `Application` or for HummingbirdTesting.
public func makeRouter(
    view: some ChainView, metrics: NodeMetrics, requestBodyBytesMax: Int = APIServer.requestBodyBytesMax
) -> Router<BasicRequestContext> {
    precondition(requestBodyBytesMax > 0, "a body limit admits some body")
    let handlers = APIHandlers(view: view, metrics: metrics, requestBodyBytesMax: requestBodyBytesMax)
    let router = Router(context: BasicRequestContext.self)
    // Outermost: the explorer of one testnet node reads its peers' APIs from the browser, so
    // GETs carry `Access-Control-Allow-Origin: *` (errors too, once turned into responses).
    router.add(middleware: CORSMiddleware(allowOrigin: .all, allowMethods: [.get, .head, .options]))
    // Added next so that it also wraps the not-found responder and every route below.
    router.add(middleware: APIErrorMiddleware())
    router.get("/health") { _, _ in await handlers.health() }
    router.get("/node/identity") { _, _ in await handlers.identity() }
    router.get("/chain/head") { _, _ in await handlers.head() }
    router.get("/chain/finality") { _, _ in await handlers.finality() }
    router.get("/genesis") { _, _ in try handlers.genesis() }
    router.get("/blocks/:id") { _, context in
        try await handlers.block(id: try context.parameters.require("id"))
    }
    router.get("/blocks/:id/proof") { _, context in
        try await handlers.proof(id: try context.parameters.require("id"))
    }
    router.get("/blocks/:id/witness") { _, context in
        try await handlers.witness(id: try context.parameters.require("id"))
    }
    router.get("/blocks/:id/registry") { _, context in
        try await handlers.registry(id: try context.parameters.require("id"))
    }
    router.get("/blocks/:id/receipts") { _, context in
        try await handlers.receipts(id: try context.parameters.require("id"))
    }
    router.get("/validators") { request, _ in
        let query = request.uri.queryParameters
        return try await handlers.validators(offset: query["offset"].map(String.init), limit: query["limit"].map(String.init))
    }
    router.get("/validators/:index") { _, context in
        try await handlers.validator(index: try context.parameters.require("index"))
    }
    router.get("/accounts/:address") { _, context in
        try await handlers.account(address: try context.parameters.require("address"))
    }
    router.get("/programs/:address") { _, context in
        try await handlers.program(address: try context.parameters.require("address"))
    }
    router.post("/transactions") { request, _ in try await handlers.submitTransaction(request) }
    router.get("/transactions/:root") { _, context in
        try await handlers.transaction(root: try context.parameters.require("root"))
    }
    router.get("/events") { request, _ in
        try handlers.events(topics: request.uri.queryParameters["topics"].map(String.init))
    }
    router.get("/openapi.json") { _, _ in OpenAPIDocument.response() }
    router.get("/fork_choice") { _, _ in try await handlers.forkChoice() }
    router.get("/node/peers") { _, _ in await handlers.peers() }
    router.get("/proposers") { _, _ in try await handlers.proposers() }
    router.get("/ui") { _, _ in ExplorerPage.response() }
    router.get("/metrics") { _, _ in handlers.metricsText() }
    return router
}

/// The HTTP API server: the router of ``makeRouter(view:metrics:requestBodyBytesMax:)`` served on
/// `host:port` by a Hummingbird `Application`.
public struct APIServer: Sendable {
    /// The default largest request body, 2 MiB: a signed transaction deploying the largest
    /// program, hex-encoded in JSON, fits with room to spare.
    public static let requestBodyBytesMax = 2 * 1024 * 1024

    /// The address to listen on, for example `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The TCP port; 0 picks a free one (``run(onServerRunning:)`` reports it).
    public var port: Int
    /// The largest request body accepted.
    public var requestBodyBytesMax: Int
    /// How often idle `GET /events` streams get a keep-alive comment.
    public var keepAliveInterval: Duration = .seconds(15)
    private let view: any ChainView
    private let metrics: NodeMetrics
    private let logger: Logger

    /// Creates a server; nothing listens until ``run(onServerRunning:)``.
    ///
    /// - Parameters:
    ///   - host: The address to listen on.
    ///   - port: The TCP port, 0 for any free one.
    ///   - view: The chain served.
    ///   - metrics: The metrics served at `/metrics`.
    ///   - requestBodyBytesMax: The largest request body accepted.
    ///   - logger: Where the server logs.
    public init(
        host: String, port: Int, view: any ChainView, metrics: NodeMetrics,
        requestBodyBytesMax: Int = APIServer.requestBodyBytesMax, logger: Logger = Logger(label: "keel.api")
    ) {
        precondition((0...65535).contains(port), "a TCP port is 0...65535")
        precondition(requestBodyBytesMax > 0, "a body limit admits some body")
        self.host = host
        self.port = port
        self.requestBodyBytesMax = requestBodyBytesMax
        self.view = view
        self.metrics = metrics
        self.logger = logger
    }

    /// Serves until the calling task is cancelled, then closes the listener and returns.
    ///
    /// - Parameter onServerRunning: Called once the socket listens, with the bound port (useful
    ///   with port 0).
    /// - Throws: If the address cannot be bound.
    public func run(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let router = makeRouter(view: view, metrics: metrics, requestBodyBytesMax: requestBodyBytesMax)
        let port = self.port
        let application = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "keel"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        // Cancelling the server's task directly would abort its accept loop mid-wait (logged as
        // an error on every stop); instead the group runs in a task of its own and the caller's
        // cancellation becomes a graceful shutdown: stop accepting, finish open requests.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        let serving = Task { try await group.run() }
        let (events, interval) = (view.events, keepAliveInterval)
        let keepingAlive = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                events?.keepAlive()
            }
        }
        defer { keepingAlive.cancel() }
        try await withTaskCancellationHandler {
            try await serving.value
        } onCancel: {
            // Event streams never end on their own: ended here, so the shutdown does not wait on them.
            events?.close()
            Task { await group.triggerGracefulShutdown() }
        }
    }
}
