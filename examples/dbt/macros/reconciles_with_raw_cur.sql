{% test reconciles_with_raw_cur(model) %}
-- Fails (returns a row) unless the model's billed total equals the raw CUR unblended total.
with focus as (select sum(billed_cost) as total from {{ model }}),
raw as (select sum(line_item_unblended_cost) as total from read_aws_cur('{{ var("cur_path") }}'))
select focus.total, raw.total from focus, raw where focus.total is distinct from raw.total
{% endtest %}
