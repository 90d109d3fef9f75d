import Foundation
import Testing

@testable import Engine

/// Root names are checked at load against the scope each field is evaluated in (issue #17 item 7): a misspelt
/// root is a load error at its own column, and every root that works at run time is accepted.
@Suite("expression roots checked at load")
struct ExpressionRootCheckTests {
    private func diagnostics(_ yaml: String) -> [String] {
        do {
            _ = try WorkflowLoader().load(source: yaml, file: "wf.yaml", defaultName: "wf")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test func everyRootInScopeLoads() {
        let yaml = """
            triggers:
              - webhook:
                  path: /hooks/a
                  filter: "{{ trigger.headers['x-kind'] == 'a' && secrets.TOKEN != '' }}"
                  dedupe: "{{ trigger.body.id }}"
                  verify: { scheme: bearer, secret: "{{ secrets.TOKEN }}" }
              - event: { name: order.*, filter: "{{ event.data.total > 3 && trigger.name != '' }}" }
            concurrency: { key: "{{ input.repo ?? trigger.type }}" }
            steps:
              a:
                type: transform
                if: "{{ run.id != '' }}"
                with: { value: "{{ [trigger, input, steps, run, env.HOME, secrets.TOKEN] }}" }
              each:
                type: for_each
                with:
                  items: "{{ steps.a.output }}"
                  step: { type: transform, if: "{{ index < 3 }}", with: { value: "{{ item }} {{ index }} {{ steps.a.status }}" } }
              wait:
                type: wait_for_event
                with: { event: paid, key: "{{ input.order }}", filter: "{{ event.data.ok }}" }
            """
        #expect(self.diagnostics(yaml) == [])
    }

    @Test(arguments: [
        // A misspelt root in a step, with the runtime's suggestion, at the name's column.
        (
            "steps: { a: { type: transform, with: { value: \"x {{ inptu.n }}\" } } }",
            "wf.yaml:1:53: error: 'with.value' of step 'a': in expression 'inptu.n': unknown name 'inptu' "
                + "(did you mean 'input'?) at column 1"
        ),
        (
            "steps: { a: { type: transform, if: \"{{ 1 + len }}\", with: { value: 1 } } }",
            "wf.yaml:1:44: error: 'if' of step 'a': in expression '1 + len': unknown name 'len' "
                + "(to call the function, write 'len(...)') at column 5"
        ),
        // The filter of a wait_for_event step sees only the event.
        (
            "steps: { w: { type: wait_for_event, with: { event: e, filter: \"{{ trigger.x }}\" } } }",
            "wf.yaml:1:67: error: 'with.filter' of step 'w': in expression 'trigger.x': unknown name 'trigger' "
                + "(available here: event) at column 1"
        ),
        // Webhook filters see the trigger and secrets, not the steps.
        (
            "triggers: [{ webhook: { path: /h, filter: \"{{ steps.a.output }}\" } }]\nsteps: { a: { type: transform, with: { value: 1 } } }",
            "wf.yaml:1:47: error: 'filter': in expression 'steps.a.output': unknown name 'steps' "
                + "(available here: secrets, trigger) at column 1"
        ),
        (
            "steps: { a: { type: transform, with: { value: \"{{ event.name }}\" } } }",
            "wf.yaml:1:51: error: 'with.value' of step 'a': in expression 'event.name': unknown name 'event' "
                + "('event' exists only in the filter of an event trigger or of a wait_for_event step) at column 1"
        ),
    ])
    func aRootOutOfScopeIsALoadError(yaml: String, diagnostic: String) {
        #expect(self.diagnostics(yaml) == [diagnostic])
    }
}
