// swift-tools-version:6.0
import PackageDescription

/// Upcoming features that make the target graph the architecture: a dependency leaks only through
/// `public import`, members are visible only from imported modules, and existentials are spelled `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// libFuzzer targets (Fuzz/, `make fuzz`), declared only when `TRIGGERD_FUZZ=1`: they link the fuzzer runtime
/// (`-sanitize=fuzzer`), so an ordinary `swift build` or `make test` neither sees nor compiles them.
let fuzzTargets: [Target] =
    Context.environment["TRIGGERD_FUZZ"] == "1"
    ? [
        .target(name: "CFuzzer", path: "Fuzz/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Fuzz/Support", swiftSettings: strict),
    ]
        + ["FuzzWorkflowLoader", "FuzzCron", "FuzzExpressions", "FuzzWebhook"].map {
            // No main: libFuzzer drives `LLVMFuzzerTestOneInput` (FuzzSupport/FuzzDriver.swift).
            .executableTarget(
                name: $0, dependencies: ["Engine", "FuzzSupport"], path: "Fuzz/\($0)",
                swiftSettings: strict + [.unsafeFlags(["-parse-as-library"])])
        }
    : []

let package = Package(
    name: "triggerd",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "triggerd", targets: ["Triggerd"]),
        .executable(name: "triggerctl", targets: ["TriggerCtl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
    ],
    targets: [
        // libcurl enters through this module and two Swift files (Steps/Transport/CurlTransport*.swift). It is
        // opened with dlopen on first use rather than linked (see Sources/CCurl/include/ccurl.h).
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("dl")]),
        // Small C helpers for what glibc hides from Swift (SO_PEERCRED's struct ucred).
        .target(name: "CTriggerd", path: "Sources/CSystem"),
        .target(
            name: "Engine",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the binder of the run path's hot inserts (StatementBinder).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Steps",
            dependencies: [
                "Engine", "CCurl", "CTriggerd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "Triggerd",
            dependencies: [
                "Engine", "Steps", "CTriggerd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The console's CSRF tokens (HMAC-SHA256).
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "TriggerCtl",
            dependencies: [
                "Engine", "Steps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "EngineTests", dependencies: ["Engine"], swiftSettings: strict),
        .testTarget(name: "StepsTests", dependencies: ["Steps", "Engine"], swiftSettings: strict),
        // Raw TCP clients that misbehave on purpose, for the listener tests and the end-to-end tests.
        .target(name: "SocketSupport", path: "Tests/SocketSupport", swiftSettings: strict),
        .testTarget(
            name: "TriggerdTests",
            dependencies: [
                "Triggerd", "Engine", "Steps", "SocketSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TriggerCtlTests", dependencies: ["TriggerCtl", "Engine"], swiftSettings: strict),
        .testTarget(name: "EndToEndTests", dependencies: ["Engine", "SocketSupport"], swiftSettings: strict),
    ] + fuzzTargets
)
