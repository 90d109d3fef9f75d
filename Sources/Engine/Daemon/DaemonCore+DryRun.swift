extension DaemonCore {
    /// Runs the loaded workflow `name` as `triggerctl test` would, in a store of its own that vanishes afterwards:
    /// mocked steps answer from `request`, pure steps and waits run, and every other step fails at once
    /// (`DryRunStepGuard`), so a dry run changes nothing outside itself. The manual clock starts now.
    public func dryRun(workflow name: String, _ request: DryRunRequest) async throws -> DryRunReport {
        guard let definition = self.catalog.byName[name] else {
            throw EngineError(.notFound, "no workflow named '\(name)'")
        }
        var answers: [String: MockAnswer] = [:]
        for (id, output) in request.mocks { answers[id] = .output(output) }
        for (id, message) in request.failures {
            guard answers[id] == nil else { throw EngineError(.invalidInput, "step '\(id)' is both mocked and failed") }
            answers[id] = .failure(message)
        }
        for id in answers.keys.sorted() where definition.steps[id] == nil {
            let hint = DidYouMean.suggest(id, from: definition.stepOrder).map { " (did you mean '\($0)'?)" } ?? ""
            throw EngineError(.invalidInput, "workflow '\(name)' has no step '\(id)' to mock\(hint)")
        }
        guard case .object(var trigger) = request.trigger ?? .object([:]) else {
            throw EngineError(.invalidInput, "the trigger must be a JSON object, like {\"type\": \"manual\"}")
        }
        if trigger["type"] == nil { trigger["type"] = .string(definition.firstTriggerType) }
        guard request.input.objectValue != nil else {
            throw EngineError(.invalidInput, "the input must be a JSON object, like {\"key\": \"value\"}")
        }
        let registry = MockStepExecutor.mocking(
            answers, in: DryRunStepGuard.guarding(self.engine.registry), workflow: definition)
        let env = self.engine.envRoot.objectValue?.compactMapValues(\.stringValue) ?? [:]
        let offline = OfflineRun(
            definition: definition, registry: registry, clock: ManualClock(now: self.clock.now()), secrets: self.secrets,
            env: env)
        let outcome = try await offline.perform(trigger: .object(trigger), input: request.input)
        return DryRunReport(
            run: outcome.record, mocked: answers.keys.sorted(), clockAdvances: outcome.clockAdvances, stuck: outcome.stuck)
    }
}
