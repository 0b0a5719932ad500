import Testing

@testable import OrchKit

@Suite struct ProcessEnvironmentTests {
  @Test func laterSourcesOverrideEarlierOnes() {
    var config = Config(format: .yaml, file: "orch.yaml")
    config.environment = [EnvVar(key: "A", value: "top"), EnvVar(key: "HOME", value: nil)]
    var web = ProcessConfig(name: "web", command: .shell("x"), color: .cyan)
    web.environment = [EnvVar(key: "B", value: "proc"), EnvVar(key: "MISSING", value: nil)]
    config.processes = [web]
    let envs = ProcessEnvironment.build(
      config: config, base: [("HOME", "/root"), ("A", "orch"), ("C", "orch")],
      projectFiles: [[EnvVar(key: "A", value: "file"), EnvVar(key: "B", value: "file")]],
      processFiles: [
        "web": [[EnvVar(key: "B", value: "procfile"), EnvVar(key: "C", value: "procfile")]]
      ],
      port: nil)
    let env = envs["web"]
    #expect(env?["A"] == "top")
    #expect(env?["B"] == "proc")
    #expect(env?["C"] == "procfile")
    #expect(env?["HOME"] == "/root")
    #expect(env?["MISSING"] == nil)
    #expect(env?["ORCH_PROCESS"] == "web")
    #expect(env?.entries.first == "HOME=/root")
  }

  @Test func procfilePortsFromBaseEnvAndFlag() {
    var config = Config(format: .procfile, file: "Procfile")
    config.processes = ["web", "worker-1"].enumerated().map {
      ProcessConfig(name: $1, command: .shell("x"), color: .forIndex($0))
    }
    let fromDefault = ProcessEnvironment.build(
      config: config, base: [], projectFiles: [], processFiles: [:], port: nil)
    #expect(fromDefault["web"]?["PORT"] == "5000")
    #expect(fromDefault["worker-1"]?["PORT"] == "5100")
    #expect(fromDefault["web"]?["ORCH_PORT_WORKER_1"] == "5100")
    let fromEnv = ProcessEnvironment.build(
      config: config, base: [("PORT", "3000")], projectFiles: [], processFiles: [:], port: nil)
    #expect(fromEnv["worker-1"]?["PORT"] == "3100")
    let fromDotEnv = ProcessEnvironment.build(
      config: config, base: [], projectFiles: [[EnvVar(key: "PORT", value: "4000")]],
      processFiles: [:], port: nil)
    #expect(fromDotEnv["web"]?["PORT"] == "4000")
    let fromFlag = ProcessEnvironment.build(
      config: config, base: [("PORT", "3000")], projectFiles: [], processFiles: [:], port: 8000)
    #expect(fromFlag["worker-1"]?["PORT"] == "8100")
    #expect(fromFlag["web"]?["ORCH_PORT_WEB"] == "8000")
  }
}
