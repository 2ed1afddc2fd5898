// Fix snippets: one generator per stack behind one interface, fed by one input (./input.ts).
import { aspnet } from './stacks/aspnet';
import { apache } from './stacks/apache';
import { caddy } from './stacks/caddy';
import { django } from './stacks/django';
import { express } from './stacks/express';
import { fastapi } from './stacks/fastapi';
import { fastify } from './stacks/fastify';
import { flask } from './stacks/flask';
import { go } from './stacks/go';
import { hono } from './stacks/hono';
import { koa } from './stacks/koa';
import { nestjs } from './stacks/nestjs';
import { nextjs } from './stacks/nextjs';
import { nginx } from './stacks/nginx';
import { rails } from './stacks/rails';
import { spring } from './stacks/spring';
import { STACK_IDS, type Snippet, type SnippetInput, type StackGenerator, type StackId } from './types';

export const GENERATORS: Readonly<Record<StackId, StackGenerator>> = {
  fastapi,
  express,
  django,
  flask,
  nginx,
  nextjs,
  nestjs,
  fastify,
  hono,
  koa,
  apache,
  caddy,
  spring,
  aspnet,
  go,
  rails,
};

export function isStackId(s: unknown): s is StackId {
  return typeof s === 'string' && (STACK_IDS as readonly string[]).includes(s);
}

export function generateSnippet(stack: StackId, input: SnippetInput): Snippet {
  return GENERATORS[stack].generate(input);
}

export { buildSnippetInput } from './input';
export { detectStacks, orderStacks } from './detect';
export * from './types';
