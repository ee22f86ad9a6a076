-- Every CUR line item as a FOCUS 1.2 row.
select * from to_focus('{{ var("cur_path") }}', provider := 'aws', focus_version := '1.2')
