// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "orch",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "orch", targets: ["orch"]),
    // The orphan watchdog's own small program, installed beside `orch` (C only).
    .executable(name: "orch-watchdog", targets: ["orch-watchdog"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
  ],
  targets: [
    .systemLibrary(
      name: "CYaml",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
    ),
    .target(
      name: "OrchKit",
      dependencies: ["CYaml"]
    ),
    .target(
      name: "CSpawn"
    ),
    .target(
      name: "OrchRuntime",
      dependencies: [
        "OrchKit",
        "CSpawn",
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    .executableTarget(
      name: "orch",
      dependencies: [
        "OrchKit",
        "OrchRuntime",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // A static C program with no Swift runtime (no start files, so nothing pulls it in): the
    // process that outlives orch maps a few pages, not orch's megabytes.
    .executableTarget(
      name: "orch-watchdog",
      dependencies: ["CSpawn"],
      linkerSettings: [
        .unsafeFlags(["-static-executable", "-nostartfiles"], .when(platforms: [.linux]))
      ]
    ),
    // What the test targets share: scratch directories, running the built binary, the `up`
    // session driver, `/proc` readers and `eventually`. A plain target that does not import
    // Testing: its helpers throw, and the tests record what they throw.
    .target(
      name: "TestSupport",
      dependencies: ["OrchKit"],
      path: "Tests/TestSupport"
    ),
    .testTarget(
      name: "OrchKitTests",
      dependencies: ["OrchKit", "TestSupport"]
    ),
    // OrchRuntime's types driven in the test process, against real processes and files.
    .testTarget(
      name: "OrchRuntimeTests",
      dependencies: [
        "OrchKit",
        "OrchRuntime",
        "TestSupport",
        .product(name: "SystemPackage", package: "swift-system"),
      ]
    ),
    // The built `orch` binary, run as a user runs it (`swift build` first: the tests find it
    // beside the test bundle). OrchRuntime only for its pseudo-terminals.
    .testTarget(
      name: "OrchEndToEndTests",
      dependencies: ["OrchKit", "OrchRuntime", "TestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
