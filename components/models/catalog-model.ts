// A model as GET /api/v1/models lists it (the console's models pages share it).
export type CatalogModel = {
  id: string;
  provider: string;
  name: string;
  bedrockModelId: string | null;
  inputModalities: string[];
  outputModalities: string[];
  lifecycle: string;
  enabled: boolean;
  streaming: boolean | null;
};
