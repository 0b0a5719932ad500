import Testing

/// Every `orch up` test, one at a time: they start real processes, send real signals and
/// measure real delays, and on a small shared machine two of them at once would disturb
/// each other's timings. Each file adds its suite in an extension.
@Suite(.serialized) enum UpTests {}
