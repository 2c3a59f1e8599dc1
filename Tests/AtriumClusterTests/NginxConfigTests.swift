import Testing
@testable import AtriumCluster

@Suite struct NginxConfigTests {
    let nodes = [NginxConfig.Node(name: "a", address: "10.0.0.1:8080"), NginxConfig.Node(name: "node-b", address: "10.0.0.2:8080")]

    @Test func routesEachNodesPathToThatNodeAndTheRestToAny() throws {
        let text = try NginxConfig(nodes: nodes, listen: "80").render()
        #expect(text.contains("upstream atrium_any {\n    server 10.0.0.1:8080 max_fails=1 fail_timeout=5s;\n    server 10.0.0.2:8080"))
        #expect(text.contains("upstream atrium_node_node_b {\n    server 10.0.0.2:8080;\n}"))
        #expect(text.contains("    location /node/node-b/ {\n        proxy_pass http://atrium_node_node_b/;\n        proxy_set_header Upgrade $http_upgrade;"))
        #expect(text.contains("    location / {\n        proxy_pass http://atrium_any;"))
        #expect(text.contains("proxy_next_upstream error timeout http_502 http_503;"))
        #expect(!text.contains("http {"))
    }

    @Test func neverServesTheNodesMetricsThroughTheProxy() throws {
        let text = try NginxConfig(nodes: nodes, listen: "80").render()
        #expect(text.contains("location = /metrics { return 403; }"))
        #expect(text.contains("location ~ ^/node/[^/]+/metrics$ { return 403; }"))
    }

    @Test func terminatesTLSWithTheGivenFiles() throws {
        let text = try NginxConfig(nodes: nodes, listen: "443", mode: .terminate(certificate: "/etc/atrium/cert.pem", key: "/etc/atrium/key.pem"))
            .render()
        #expect(text.contains("    listen 443 ssl;\n    ssl_certificate /etc/atrium/cert.pem;\n    ssl_certificate_key /etc/atrium/key.pem;"))
    }

    @Test func passesTLSThroughBySNI() throws {
        let named = [NginxConfig.Node(name: "a", address: "10.0.0.1:8443", serverName: "a.expo.example"),
                     NginxConfig.Node(name: "b", address: "10.0.0.2:8443", serverName: "b.expo.example")]
        let text = try NginxConfig(nodes: named, listen: "443", mode: .passThrough).render()
        #expect(text.contains("stream {\n    map $ssl_preread_server_name $atrium_backend {\n        a.expo.example atrium_node_a;"))
        #expect(text.contains("        ssl_preread on;\n        proxy_pass $atrium_backend;"))
        #expect(throws: NginxConfig.Problem.missingServerName("a")) { try NginxConfig(nodes: nodes, listen: "443", mode: .passThrough).render() }
    }

    @Test func aStandaloneConfigKeepsItsFilesUnderThePrefix() throws {
        let text = try NginxConfig(nodes: nodes, listen: "127.0.0.1:9000", standalonePrefix: "/tmp/x").render()
        #expect(text.contains("pid /tmp/x/nginx.pid;\nerror_log /tmp/x/error.log warn;\ndaemon off;"))
        #expect(text.contains("http {\n    access_log off;\n    client_body_temp_path /tmp/x/client_body;"))
    }

    @Test func refusesNodesThatWouldBreakTheConfig() throws {
        #expect(throws: NginxConfig.Problem.noNodes) { try NginxConfig(nodes: [], listen: "80").render() }
        #expect(throws: NginxConfig.Problem.badNodeName("A/b")) {
            try NginxConfig(nodes: [.init(name: "A/b", address: "h:1")], listen: "80").render()
        }
        #expect(throws: NginxConfig.Problem.duplicateNode("a")) {
            try NginxConfig(nodes: [.init(name: "a", address: "h:1"), .init(name: "a", address: "h:2")], listen: "80").render()
        }
        for bad in ["h", "h:0", "h:x", "h;evil:80", "h :80", ":80"] {
            #expect(throws: NginxConfig.Problem.badAddress(bad)) { try NginxConfig(nodes: [.init(name: "a", address: bad)], listen: "80").render() }
        }
        #expect(try NginxConfig.parseNode("b=10.0.0.2:8443@b.expo.example") == .init(name: "b", address: "10.0.0.2:8443", serverName: "b.expo.example"))
    }
}
