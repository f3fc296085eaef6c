// What kind of model a catalog entry is, which decides how it is invoked (and,
// for the certification engine, which battery it gets). The AWS table leaves
// some modalities blank; the model id then decides.
export type ModelKind = "text" | "embedding" | "image" | "video" | "speech" | "rerank";

export function modelKind(model: { bedrockModelId: string | null; outputModalities: string[] }): ModelKind {
  const out = model.outputModalities.map((m) => m.toLowerCase());
  const id = (model.bedrockModelId ?? "").toLowerCase();
  if (out.includes("embedding") || (out.length === 0 && /embed/.test(id))) return "embedding";
  if (/rerank/.test(id)) return "rerank";
  if (out.includes("speech") || /sonic/.test(id)) return "speech";
  if (out.includes("text")) return "text";
  if (out.includes("image") || (out.length === 0 && /image|canvas|stable-|sd3/.test(id))) return "image";
  if (out.includes("video") || (out.length === 0 && /reel|ray-/.test(id))) return "video";
  return "text";
}
