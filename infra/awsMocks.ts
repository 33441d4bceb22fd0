// Test support for the mocked AWS wiring tests (callHandlers.test.ts, index.test.ts): the outputs AWS
// would compute for each resource type (ids, ARNs, URLs), in one place so both suites agree.
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT = "123456789012";

/** A mocks implementation that records each registration and fills AWS-computed outputs. */
export function awsMocks(
  region: string,
  registered: pulumi.runtime.MockResourceArgs[],
  other: (
    args: pulumi.runtime.MockResourceArgs,
  ) => { id: string; state: object } | undefined = () => undefined,
): pulumi.runtime.Mocks {
  return {
    newResource(args) {
      registered.push(args);
      const handled = other(args);
      if (handled) return handled;
      const id = `${args.name}-id`;
      const i = args.inputs as Record<string, string>;
      const extra: Record<string, string> = {};
      switch (args.type) {
        case "aws:apigatewayv2/api:Api":
          extra.apiEndpoint = `https://${id}.execute-api.${region}.amazonaws.com`;
          extra.executionArn = `arn:aws:execute-api:${region}:${MOCK_ACCOUNT}:${id}`;
          break;
        case "aws:apigatewayv2/stage:Stage":
          extra.invokeUrl = `https://${i.apiId}.execute-api.${region}.amazonaws.com/`;
          break;
        case "aws:iam/role:Role":
          extra.name = `${args.name}-1a2b3c`;
          extra.arn = `arn:aws:iam::${MOCK_ACCOUNT}:role/${args.name}-1a2b3c`;
          break;
        case "aws:lambda/function:Function":
          extra.arn = `arn:aws:lambda:${region}:${MOCK_ACCOUNT}:function:${i.name}`;
          break;
        case "aws:ssm/parameter:Parameter":
          extra.arn = `arn:aws:ssm:${region}:${MOCK_ACCOUNT}:parameter${i.name}`;
          break;
      }
      return { id, state: { ...args.inputs, ...extra } };
    },
    call: (args) => args.inputs,
  };
}
