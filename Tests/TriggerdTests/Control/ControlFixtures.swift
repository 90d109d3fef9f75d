import Engine
import Foundation

/// The records `FakeControlPlane` answers with; times are whole UTC instants so expected JSON is readable.
enum ControlFixtures {
    /// 2027-01-15T08:00:00.000Z
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    /// 2027-01-15T08:00:00.500Z
    static let t0half = Date(timeIntervalSince1970: 1_800_000_000.5)

    /// The ledger key of `nightly`'s cron trigger.
    static let nightlyKey = "cron:0 2 * * *@UTC"

    /// `nightly`'s fire ledger, newest first: fired on time on the 15th, skipped on the 14th, missed on the 13th.
    static let ledger = [
        ScheduleSlot(
            workflow: "nightly", trigger: nightlyKey, scheduledAt: Date(timeIntervalSince1970: 1_799_978_400),
            handledAt: Date(timeIntervalSince1970: 1_799_978_400.004), outcome: "started", runID: "r1", reason: "on time"),
        ScheduleSlot(
            workflow: "nightly", trigger: nightlyKey, scheduledAt: Date(timeIntervalSince1970: 1_799_892_000),
            handledAt: Date(timeIntervalSince1970: 1_799_892_000), outcome: "skipped", runID: nil,
            reason: "skipped: run r0 still active (overlap: skip)"),
        ScheduleSlot(
            workflow: "nightly", trigger: nightlyKey, scheduledAt: Date(timeIntervalSince1970: 1_799_805_600),
            handledAt: Date(timeIntervalSince1970: 1_799_830_800), outcome: "missed", runID: nil,
            reason: "missed during downtime; catch_up: none fires no missed slot"),
    ]
    /// 2027-01-15T08:01:00.000Z
    static let t1 = Date(timeIntervalSince1970: 1_800_000_060)
    /// 2027-01-15T09:00:00.000Z
    static let t60 = Date(timeIntervalSince1970: 1_800_003_600)

    static let status = StatusSnapshot(
        version: "0.1.0",
        startedAt: t0,
        uptimeSeconds: 90.5,
        workflowsLoaded: 2,
        loadErrors: [FileLoadError(file: "broken.yaml", message: "broken.yaml:3:7: error: unknown key 'stpes'")],
        runCounts: [.running: 1, .failed: 3],
        pendingApprovals: 1,
        nextFires: [["workflow": "nightly", "trigger": 0, "next": "2027-01-16T02:00:00.000Z"]],
        listen: "127.0.0.1:8780",
        socket: "/run/triggerd/control.sock"
    )

    static let deploy = WorkflowSummary(
        name: "deploy",
        description: "Ship it",
        file: "deploy.yaml",
        version: "sha256:abc",
        triggers: [["type": "manual"]],
        steps: ["build", "gate", "release"],
        loadError: nil
    )

    static let broken = WorkflowSummary(
        name: "broken",
        description: nil,
        file: "broken.yaml",
        version: nil,
        triggers: [],
        steps: [],
        loadError: "broken.yaml:3:7: error: unknown key 'stpes'"
    )

    static let run = RunRecord(
        id: "r1",
        workflow: "deploy",
        version: "sha256:abc",
        status: .waiting,
        trigger: ["type": "manual"],
        input: ["env": "prod"],
        createdAt: t0,
        startedAt: t0half,
        steps: [
            StepRecord(
                id: "build",
                type: "command",
                status: .completed,
                attempts: 1,
                startedAt: t0half,
                endedAt: t1,
                output: ["exit_code": 0]
            ),
            StepRecord(
                id: "gate",
                type: "wait_for_approval",
                status: .waiting,
                attempts: 1,
                startedAt: t1,
                needs: ["build"]
            ),
        ],
        decisions: [
            ApprovalDecision(
                runID: "r1",
                stepID: "gate",
                user: "alice",
                uid: 1000,
                approved: true,
                comment: nil,
                at: t1
            )
        ]
    )

    static let approval = PendingApproval(
        runID: "r1",
        workflow: "deploy",
        stepID: "gate",
        message: "Release to prod?",
        since: t1,
        deadline: t60,
        approvers: ["ops"],
        required: 2,
        approvedBy: ["alice"]
    )

    static let events = [
        RunEvent(seq: 1, at: t0half, type: .runStarted, runID: "r1", workflow: "deploy"),
        RunEvent(seq: 2, at: t0half, type: .stepStarted, runID: "r1", workflow: "deploy", step: "build", attempt: 1),
        RunEvent(seq: 3, at: t1, type: .runStarted, runID: "r2", workflow: "deploy"),
        RunEvent(
            seq: 4,
            at: t1,
            type: .stepCompleted,
            runID: "r1",
            workflow: "deploy",
            step: "build",
            attempt: 1,
            status: "completed",
            output: ["exit_code": 0]
        ),
    ]
}
