import CoreMetrics
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing
@testable import notifyd

/// `/healthz`, `/metrics` and `/openapi.yaml`.
struct OperationsRoutesTests {
    @Test func healthIsUnhealthyWhileTheDispatcherIsStopped() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.get, "/healthz")
                #expect(response.status == .serviceUnavailable)
                let health = try response.json()
                #expect(health["status"] == "unhealthy")
                #expect(health["checks"] == ["store": "ok", "rules": ["loaded": 1], "dispatcher": "stopped"])

                test.daemon.dispatcherRunning.set(true)
                let running = try await client.send(.get, "/healthz")
                #expect(running.status == .ok)
                #expect(try running.json()["status"] == "ok")
            }
        }
    }

    @Test func healthIsOkWhileTheDaemonsServicesRun() async throws {
        try await withTestDaemon { test in
            try await test.daemon.application().test(.router) { client in
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(10)
                while !test.daemon.dispatcherRunning.isRunning, clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                let response = try await client.send(.get, "/healthz")
                #expect(response.status == .ok, "\(response.text)")
                let health = try response.json()
                #expect(health["status"] == "ok")
                #expect(health["checks"] == ["store": "ok", "rules": ["loaded": 1], "dispatcher": "running"])
            }
            // Graceful shutdown stopped the dispatcher.
            #expect(!test.daemon.dispatcherRunning.isRunning)
        }
    }

    @Test func metricsAreServedInThePrometheusFormat() async throws {
        let metrics = MetricsEndpoint(registry: PrometheusCollectorRegistry())
        let counter = metrics.factory().makeCounter(label: "notify.test.sent", dimensions: [("channel", "preview")])
        counter.increment(by: 3)
        try await withTestDaemon(metrics: metrics) { test in
            try await test.withClient { client in
                let response = try await client.send(.get, "/metrics")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(response.text.contains("# TYPE notify_test_sent counter"), "\(response.text)")
                #expect(response.text.contains(#"notify_test_sent{channel="preview"} 3"#), "\(response.text)")
            }
        }
    }

    @Test func metricsAreNotFoundWithoutAnEndpoint() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.get, "/metrics")
                #expect(response.status == .notFound)
                #expect(response.detail == "Metrics are not enabled in this process")
            }
        }
    }

    @Test func theOpenAPIDocumentIsServed() async throws {
        try await withTestDaemon { test in
            try await test.withClient { client in
                let response = try await client.send(.get, "/openapi.yaml")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/yaml")
                #expect(response.text.hasPrefix("openapi:"))
            }
        }
    }

    @Test func metricNamesAreSanitized() {
        #expect(MetricsEndpoint.sanitize("notify.webhook.delivered") == "notify_webhook_delivered")
        #expect(MetricsEndpoint.sanitize("http-requests:total ü") == "http_requests:total__")
    }
}
