using System.Text.Json.Nodes;

namespace Personas.Api.OpenApi;

/// <summary>A request example for each route that takes a JSON body, by endpoint name.</summary>
internal static class Examples
{
    private static readonly Dictionary<string, string> Requests = new(StringComparer.Ordinal)
    {
        ["CreatePersona"] = """
            {"name":"Ada","triggerWord":"ohwx_ada","mode":"portrait","consent":{"facialRecognition":true,
            "aiTraining":true,"likenessUsage":true,"dataRetention":true}}
            """,
        ["ChatWithPersona"] = """{"message":"What should I post about this week?"}""",
        ["GeneratePersonaProfile"] = """{"brief":"A friendly trail runner who writes about recovery and meal prep"}""",
        ["UpdatePersonaProfile"] = """
            {"voice":"Warm and direct, short sentences","topics":["trail running","recovery"],
            "restrictions":["politics","crypto"]}
            """,
        ["WithdrawConsent"] = """{"reason":"I no longer want my likeness used."}""",
        ["ImportPhotos"] = """{"urls":["https://example.com/photos/ada-1.jpg"]}""",
        ["TrainPersona"] = """{"provider":"fal","steps":1000,"budgetUsd":5}""",
        ["CancelTraining"] = """{"reason":"Wrong photos."}""",
        ["GenerateWithPersona"] = """
            {"personaId":"per_0123456789abcdef0123","prompt":"ohwx_ada speaking on a stage","platform":"instagram",
            "count":2}
            """,
        ["CreateBatch"] = """
            {"template":"{trigger} at {place}, {light}","variations":{"place":["a cafe","the beach"],
            "light":["morning light","golden hour"]},"platform":"instagram","budgetUsd":2}
            """,
        ["GenerateSmartPosts"] = """
            {"projectTitle":"Launch week","transcript":"We shipped the new editor today...",
            "settings":{"contentTypes":["carousel","quote"],"platforms":["linkedin","x"],"creativity":0.5,
            "tone":"professional","usePersona":false}}
            """,
        ["EditPost"] = """{"caption":"We shipped the new editor.","hashtags":["editor","launch"]}""",
        ["RegeneratePost"] = """{"feedback":"Shorter hook, less formal."}""",
        ["Post-approve"] = "{}",
        ["Post-reject"] = """{"reason":"Off brand."}""",
        ["Post-schedule"] = """{"at":"2026-12-01T09:30:00+01:00"}""",
        ["Post-unschedule"] = "{}",
        ["Post-publish-now"] = "{}",
        ["BulkPosts"] = """{"ids":["post_0123456789abcdef"],"at":"2026-12-01T09:30:00+01:00"}""",
        ["SaveBrandKit"] = """
            {"textColor":"#FFFFFF","accentColor":"#FF5A36","font":"DejaVu Sans","watermark":"@ada"}
            """,
        ["StartOrchestration"] = """{"sentences":["Hello.","Goodbye."],"reviewTimeoutMinutes":5}""",
        ["RaiseEvent"] = """{"approved":true}""",
        ["FalWebhook"] = """
            {"request_id":"3f1c2b7a-0000-4000-8000-000000000000","status":"OK",
            "payload":{"diffusers_lora_file":{"url":"https://fal.media/files/lora.safetensors"}}}
            """,
        ["ReplicateWebhook"] = """
            {"id":"r8x0abc123","status":"succeeded","output":{"weights":"https://replicate.delivery/lora.tar"}}
            """,
        ["JobsWebhook"] = """{"status":"running","step":400,"totalSteps":1000,"message":"step 400"}""",
    };

    public static JsonNode? Request(string endpointName) =>
        Requests.TryGetValue(endpointName, out var json) ? JsonNode.Parse(json) : null;
}
