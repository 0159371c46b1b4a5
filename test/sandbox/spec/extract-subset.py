#!/usr/bin/env python3
"""Rebuilds bitbucket-subset.json from the official Bitbucket Cloud spec.

Usage: python3 extract-subset.py SWAGGER_JSON OPENAPI3_WORKSPACES_YAML > bitbucket-subset.json

Takes the definitions the sandbox must match (and everything they reference) from the
Swagger 2.0 document, plus the workspace_access schemas that only the OpenAPI 3 copy has,
drops prose descriptions, and applies the documented relaxations listed in NOTE below.
"""
import json
import sys

import yaml

SWAGGER_ROOTS = [
    'repository', 'paginated_repositories', 'workspace', 'project', 'paginated_projects',
    'account', 'user', 'team', 'link', 'error', 'branch',
    'paginated_treeentries', 'treeentry', 'commit_file', 'paginated_branches', 'tag', 'paginated_tags',
]
OPENAPI3_ROOTS = ['workspace_access', 'workspace_base', 'paginated_workspace_access']

NOTE = {
    'source': [
        'swagger-2025-11.json: the Swagger 2.0 document served by api.bitbucket.org/swagger.json (copy of November 2025), #/definitions',
        'openapi3-2026-08/workspaces.yaml: the OpenAPI 3 copy of August 2026, #/components/schemas (workspace_access, workspace_base, paginated_workspace_access; GET /user/workspaces is not in the 2025 copy)',
    ],
    'extracted': '2026-11-29 with extract-subset.py (next to this file); definitions unchanged apart from the changes below',
    'changes': [
        'Prose "description" strings removed to keep the file small.',
        'OpenAPI 3 references #/components/schemas/X rewritten to #/definitions/X.',
        'repository.links: added "branches" and "tags" (Link). They appear in the repository example of the same spec (x-atlassian-narrative, "URI, UUID, and structures"), but the definition lists neither while forbidding additional properties.',
        'repository.links: added "source" (Link), which the sandbox serves as the live API is reported to; not in the spec and not confirmed from a primary source.',
        'error.error: added "fields" (object of string lists) and "id" (string), both documented in the spec narrative ("Standardized error responses") but missing from the definition, which forbids additional properties.',
        'error.error.detail: string or object. The spec says string; the missing-scope 403 carries an object {granted, required} (see BITBUCKET.md).',
        'commit_file.attributes: an array of the enum strings. The definition says one string, but the narrative of GET /repositories/{workspace}/{repo_slug}/src/{commit}/{path} describes "a list of possible modifiers" and its examples show "attributes": [].',
        'There is no commit_directory definition in the spec; directories are checked as treeentry (the item type of paginated_treeentries), with their "type" asserted by the tests.',
    ],
}


def strip_descriptions(node):
    if isinstance(node, dict):
        return {k: strip_descriptions(v) for k, v in node.items()
                if not (k == 'description' and isinstance(v, str))}
    if isinstance(node, list):
        return [strip_descriptions(v) for v in node]
    if isinstance(node, str) and node.startswith('#/components/schemas/'):
        return '#/definitions/' + node[len('#/components/schemas/'):]
    return node


def closure(defs, roots, extra_known):
    picked = {}

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == '$ref':
                    name = value.rsplit('/', 1)[-1]
                    if name not in picked and name not in extra_known:
                        picked[name] = defs[name]
                        walk(defs[name])
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for root in roots:
        picked[root] = defs[root]
        walk(defs[root])
    return picked


def main():
    swagger = json.load(open(sys.argv[1]))
    openapi3 = yaml.safe_load(open(sys.argv[2]))
    definitions = closure(swagger['definitions'], SWAGGER_ROOTS, set())
    schemas = openapi3['components']['schemas']
    for name, schema in closure(schemas, OPENAPI3_ROOTS, set(definitions)).items():
        definitions.setdefault(name, schema)
    definitions = strip_descriptions(definitions)

    link = {'$ref': '#/definitions/link'}
    repo_links = definitions['repository']['allOf'][1]['properties']['links']['properties']
    for name in ('branches', 'tags', 'source'):
        repo_links[name] = link
    inner = definitions['error']['properties']['error']
    inner['properties']['fields'] = {
        'type': 'object', 'additionalProperties': {'type': 'array', 'items': {'type': 'string'}}}
    inner['properties']['id'] = {'type': 'string'}
    inner['properties']['detail'] = {'type': ['string', 'object']}
    attributes = definitions['commit_file']['properties']['attributes']
    definitions['commit_file']['properties']['attributes'] = {
        'type': 'array', 'items': {'type': 'string', 'enum': attributes['enum']}}

    out = {'_note': NOTE, 'definitions': dict(sorted(definitions.items()))}
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
